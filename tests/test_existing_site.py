"""The built wheel, dropped into a site made by ``django-admin startproject``.

Nothing here imports the checkout: the sdist and the wheel are built with
``python -m build``, the wheel is installed into a fresh virtualenv with its
``async`` and ``ratelimit`` extras, DRF, gunicorn and uvicorn, and a new
project gets an app of its own (a viewset, pagination settings, the admin,
async views) before the README's "Installing into an existing project"
blocks are pasted at the end of its settings and URLconf, exactly as the
README shows them.  The site then answers over real HTTP under gunicorn
(WSGI) and uvicorn (ASGI), with ``DEBUG`` off and on.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import socket
import subprocess
import sys
import tarfile
import textwrap
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from example_project.tests.live import free_port, wait_for_port
from tests.test_body import chunked, raw_http

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
SECRET = "site-secret-7f3a9c"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# What an API client sends: JSON explicitly, or no Accept at all (None drops requests' */*).
API_ACCEPTS = {"json": "application/json", "none": None}


def readme_block(name: str) -> str:
    """The python block that follows ``<!-- existing-site: name -->`` in the README."""
    match = re.search(rf"<!-- existing-site: {re.escape(name)} -->\n```python\n(.*?)```", README, re.S)
    assert match, f"README lost its existing-site: {name} block"
    return match.group(1)


def site_env(**extra: str) -> dict[str, str]:
    """This environment, minus whatever could lead the site to the checkout or the suite's settings."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")}
    return {**env, **extra}


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(arg) for arg in args], cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, (
        f"{args} exited with {result.returncode}:\n{result.stdout}\n{result.stderr}"
    )
    return result


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and the wheel, as a maintainer builds them (the wheel from the sdist)."""
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--outdir", out, ROOT, cwd=ROOT)
    return out


def test_distributions_pass_twine_and_carry_their_files(dist: Path) -> None:
    run(sys.executable, "-m", "twine", "check", "--strict", *sorted(dist.iterdir()), cwd=dist)
    (sdist,) = dist.glob("django_api_errors-*.tar.gz")
    (wheel,) = dist.glob("django_api_errors-*-py3-none-any.whl")
    with tarfile.open(sdist) as archive:
        in_sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for name in [
        "LICENSE",
        "README.md",
        "CHANGELOG.md",
        "pyproject.toml",
        "django_api_errors/py.typed",
        "django_api_errors/locale/fr/LC_MESSAGES/django.po",
        "django_api_errors/locale/fr/LC_MESSAGES/django.mo",
    ]:
        assert name in in_sdist, name
    assert not any(name.startswith("tests/") for name in in_sdist)
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = set(archive.namelist())
        metadata = archive.read(next(n for n in in_wheel if n.endswith(".dist-info/METADATA"))).decode()
    for name in [
        "django_api_errors/py.typed",
        "django_api_errors/locale/fr/LC_MESSAGES/django.mo",
        "django_api_errors/throttling/__init__.py",
    ]:
        assert name in in_wheel, name
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in in_wheel)
    assert not any(name.startswith(("tests/", "example_project/")) for name in in_wheel)
    assert "License-Expression: MIT" in metadata
    assert "Classifier: Framework :: Django :: 5.2" in metadata
    assert "Classifier: Programming Language :: Python :: 3.13" in metadata
    assert "Project-URL: Changelog" in metadata


APP_FILES = {
    "shop/__init__.py": "",
    "shop/apps.py": """
        from django.apps import AppConfig


        class ShopConfig(AppConfig):
            name = "shop"
            default_auto_field = "django.db.models.BigAutoField"

            def ready(self):
                from django_api_errors.mixins import track_versions

                from shop.models import Product

                track_versions(Product, "version")
    """,
    "shop/admin.py": """
        from django.contrib import admin

        from shop.models import Product

        admin.site.register(Product)
    """,
    "shop/models.py": """
        from django.db import models


        class Product(models.Model):
            name = models.CharField(max_length=50, unique=True)
            version = models.PositiveIntegerField(default=1)
            tags = models.JSONField(default=list, blank=True)
    """,
    "shop/migrations/__init__.py": "",
    "shop/views.py": f"""
        from adrf.decorators import api_view as async_api_view
        from django.http import Http404, JsonResponse
        from rest_framework import permissions, serializers, viewsets
        from rest_framework.decorators import api_view, permission_classes
        from rest_framework.response import Response

        from django_api_errors.mixins import ConditionalRequestMixin
        from django_api_errors.ratelimit import ratelimit
        from django_api_errors.serializers import StrictFieldsMixin
        from shop.models import Product


        class ProductSerializer(serializers.ModelSerializer):
            class Meta:
                model = Product
                fields = ["id", "name", "tags"]


        class ProductViewSet(viewsets.ModelViewSet):
            queryset = Product.objects.order_by("id")
            serializer_class = ProductSerializer


        class VersionedProductViewSet(ConditionalRequestMixin, viewsets.ModelViewSet):
            queryset = Product.objects.order_by("id")
            serializer_class = ProductSerializer
            etag_version_field = "version"


        @api_view(["GET"])
        @permission_classes([permissions.IsAuthenticated])
        def private(request):
            return Response({{"user": request.user.username}})


        @api_view(["GET"])
        def boom(request):
            raise RuntimeError("{SECRET} /srv/site/passwords.txt")


        class NameSerializer(StrictFieldsMixin, serializers.Serializer):
            name = serializers.CharField(max_length=50)


        @async_api_view(["POST"])
        async def echo(request):
            serializer = NameSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            return Response(serializer.validated_data)


        @async_api_view(["GET"])
        async def aboom(request):
            raise RuntimeError("{SECRET} /srv/site/async.txt")


        async def gone(request):
            raise Http404("{SECRET} no such thing")


        @ratelimit(key="ip", rate="2/d")
        async def ping(request):
            return JsonResponse({{"pong": True}})
    """,
    "shop/urls.py": """
        from django.urls import path
        from rest_framework.routers import DefaultRouter

        from shop import views

        router = DefaultRouter()
        router.register("products", views.ProductViewSet)
        router.register("versioned-products", views.VersionedProductViewSet, basename="versioned")
        urlpatterns = [
            path("private/", views.private),
            path("boom/", views.boom),
            path("echo/", views.echo),
            path("aboom/", views.aboom),
            path("gone/", views.gone),
            path("ping/", views.ping),
            *router.urls,
        ]
    """,
}

# The site's own settings, there before django-api-errors arrives.
SITE_SETTINGS = """
DEBUG = os.environ.get("SITE_DEBUG") == "1"
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS += ["rest_framework", "shop"]
REST_FRAMEWORK = {
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 2,
}
"""


@pytest.fixture(scope="module")
def site(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """A startproject site with the wheel installed and the README pasted in, migrated."""
    base = tmp_path_factory.mktemp("existing-site")
    env_dir = base / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    (wheel,) = dist.glob("*.whl")
    env = site_env()
    run(
        *(python, "-m", "pip", "install", "--quiet", f"{wheel}[async,ratelimit]"),
        *("djangorestframework", "gunicorn", "uvicorn"),
        cwd=base,
        env=env,
    )
    # The site must run the wheel, never the checkout.
    where = run(
        python, "-c", "import django_api_errors; print(django_api_errors.__file__)", cwd=base, env=env
    )
    assert str(env_dir) in where.stdout and str(ROOT) not in where.stdout

    project = base / "project"
    project.mkdir()
    run(env_dir / "bin" / "django-admin", "startproject", "mysite", project, cwd=base)
    for name, text in APP_FILES.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(textwrap.dedent(text).lstrip())
    settings = project / "mysite" / "settings.py"
    text = settings.read_text().replace("DEBUG = True\n", "").replace("ALLOWED_HOSTS = []\n", "")
    settings.write_text("import os\n" + text + SITE_SETTINGS + "\n" + readme_block("settings.py"))
    urls = project / "mysite" / "urls.py"
    text = urls.read_text().replace("from django.urls import path", "from django.urls import include, path")
    text = text.replace("urlpatterns = [", 'urlpatterns = [\n    path("api/", include("shop.urls")),')
    urls.write_text(text + "\n" + readme_block("urls.py"))

    manage = (python, project / "manage.py")
    run(*manage, "makemigrations", "shop", cwd=project, env=env)
    run(*manage, "migrate", "--verbosity", "0", cwd=project, env=env)
    admin_env = site_env(DJANGO_SUPERUSER_PASSWORD="staff-password")
    run(
        *manage,
        "createsuperuser",
        "--noinput",
        "--username",
        "staff",
        "--email",
        "s@x.test",
        cwd=project,
        env=admin_env,
    )
    yield {"python": python, "project": project, "settings": settings}


def test_readme_snippets_keep_the_site_settings_and_check_clean(site: dict[str, Path]) -> None:
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.INSTALLED_APPS.count('rest_framework'), s.REST_FRAMEWORK['PAGE_SIZE'], "
        "s.REST_FRAMEWORK['EXCEPTION_HANDLER'], s.MIDDLEWARE.index('django_api_errors.middleware.ErrorMiddleware') "
        "- s.MIDDLEWARE.index('django.middleware.common.CommonMiddleware'))"
    )
    shown = run(
        site["python"],
        "-c",
        script,
        cwd=site["project"],
        env=site_env(DJANGO_SETTINGS_MODULE="mysite.settings"),
    )
    assert shown.stdout.split() == ["1", "2", "django_api_errors.handlers.exception_handler", "1"]
    for debug in ("0", "1"):
        result = subprocess.run(
            [site["python"], "manage.py", "check"],
            cwd=site["project"],
            env=site_env(SITE_DEBUG=debug),
            capture_output=True,
            text=True,
        )
        output = result.stdout + result.stderr
        assert result.returncode == 0, output
        assert not re.search(r"django_api_errors\.[WE]\d", output), output
        assert "System check identified no issues" in output, output


SERVERS = {
    "gunicorn": ("gunicorn", "mysite.wsgi:application", "--bind", "127.0.0.1:{port}", "--workers", "1"),
    "uvicorn": ("uvicorn", "mysite.asgi:application", "--host", "127.0.0.1", "--port", "{port}"),
}


@pytest.fixture(
    scope="module",
    params=[(name, debug) for name in SERVERS for debug in ("0", "1")],
    ids=lambda param: f"{param[0]}-DEBUG={param[1] == '1'}",
)
def server(request: pytest.FixtureRequest, site: dict[str, Path]) -> Iterator[tuple[str, bool]]:
    name, debug = request.param
    port = free_port()
    log = open(site["project"] / f"{name}-{debug}.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [site["python"], "-m", *(arg.format(port=port) for arg in SERVERS[name])],
        cwd=site["project"],
        env=site_env(SITE_DEBUG=debug),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}", debug == "1"
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def documented(response: requests.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/json", response.headers
    body = response.json()
    assert body["error"] == code, body
    assert body["request_id"] == response.headers["X-Request-ID"]
    assert SECRET not in response.text + repr(dict(response.headers))
    return body


@pytest.mark.parametrize("accept", API_ACCEPTS.values(), ids=API_ACCEPTS.keys())
def test_api_clients_get_the_documented_body(server: tuple[str, bool], accept: str | None) -> None:
    url, debug = server
    api = requests.Session()
    api.headers["Accept"] = accept  # type: ignore[assignment] - None removes the header
    name = f"lamp-{accept}-{url.rsplit(':', 1)[1]}"  # one per server: they share the database

    documented(api.get(f"{url}/nope/", timeout=10), 404, "not_found")
    documented(api.get(f"{url}/api/products/999/", timeout=10), 404, "not_found")
    body = documented(api.post(f"{url}/api/products/", json={"name": ""}, timeout=10), 400, "invalid_request")
    assert body["details"] == [
        {"field": "name", "pointer": "/name", "code": "blank", "message": "This field may not be blank."}
    ]
    refused = api.get(f"{url}/api/private/", timeout=10)
    documented(refused, 401, "unauthorized_client")
    assert refused.headers["WWW-Authenticate"]

    assert api.post(f"{url}/api/products/", json={"name": name}, timeout=10).status_code == 201
    documented(api.post(f"{url}/api/products/", json={"name": name}, timeout=10), 409, "conflict")
    # The site's own REST_FRAMEWORK settings survived the paste: PAGE_SIZE 2.
    listed = api.get(f"{url}/api/products/", timeout=10).json()
    assert set(listed) == {"count", "next", "previous", "results"} and len(listed["results"]) <= 2

    crashed = api.get(f"{url}/api/boom/", timeout=10)
    if debug:
        # DEBUG=True documents the traceback member, and nothing else changes.
        assert crashed.status_code == 500 and crashed.json()["error"] == "server_error"
        assert "traceback" in crashed.json()
    else:
        documented(crashed, 500, "server_error")
        assert "traceback" not in crashed.json() and "RuntimeError" not in crashed.text


def staff_session(url: str) -> requests.Session:
    """A browser that logged in to the admin through its form."""
    browser = requests.Session()
    browser.headers["Accept"] = BROWSER
    browser.get(f"{url}/admin/login/", timeout=10)
    token = browser.cookies["csrftoken"]
    form = {
        "username": "staff",
        "password": "staff-password",
        "csrfmiddlewaretoken": token,
        "next": "/admin/",
    }
    response = browser.post(
        f"{url}/admin/login/", data=form, headers={"Referer": f"{url}/admin/login/"}, timeout=10
    )
    assert response.status_code == 200 and "sessionid" in browser.cookies, response.text[:500]
    return browser


def test_an_admin_save_changes_the_etag_so_an_old_if_match_cannot_overwrite_it(
    server: tuple[str, bool],
) -> None:
    url, _ = server
    api, created, _, path, tag = tagged_product(url, "lamp")
    # The admin's change form, as a person submits it.
    staff = staff_session(url)
    change = f"{url}/admin/shop/product/{created['id']}/change/"
    staff.get(change, timeout=10)
    form = {
        "name": f"{created['name']}-admin",
        "version": "1",
        "csrfmiddlewaretoken": staff.cookies["csrftoken"],
    }
    saved = staff.post(change, data=form, headers={"Referer": change}, timeout=10)
    assert saved.status_code == 200 and "was changed successfully" in saved.text, saved.text[:500]
    # Without track_versions: 304 here, and the PUT answered 200 and undid the admin's name.
    assert api.get(path, headers={"If-None-Match": tag}, timeout=10).status_code == 200
    put = api.put(path, json={"name": f"{created['name']}-api"}, headers={"If-Match": tag}, timeout=10)
    documented(put, 412, "precondition_failed")
    assert api.get(path, timeout=10).json()["name"] == f"{created['name']}-admin"


def test_api_client_gets_json_from_the_admin_404_and_csrf_failure(server: tuple[str, bool]) -> None:
    url, _ = server
    staff = staff_session(url)
    documented(
        staff.get(f"{url}/admin/no-such-page/", headers={"Accept": "application/json"}, timeout=10),
        404,
        "not_found",
    )
    anonymous = requests.post(
        f"{url}/admin/login/", data={"username": "staff"}, headers={"Accept": "application/json"}, timeout=10
    )
    documented(anonymous, 403, "access_denied")


def test_browser_gets_html_for_an_admin_page_that_does_not_exist(server: tuple[str, bool]) -> None:
    url, _ = server
    response = staff_session(url).get(f"{url}/admin/no-such-page/", timeout=10)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html"), response.headers


def test_browser_gets_html_for_an_admin_login_without_csrf_token(server: tuple[str, bool]) -> None:
    url, _ = server
    response = requests.post(
        f"{url}/admin/login/",
        data={"username": "staff", "password": "staff-password"},
        headers={"Accept": BROWSER},
        timeout=10,
    )
    assert response.status_code == 403
    assert response.headers["Content-Type"].startswith("text/html"), response.headers


def test_async_views_get_the_documented_body(server: tuple[str, bool]) -> None:
    url, debug = server
    api = requests.Session()
    api.headers["Accept"] = "application/json"

    body = documented(api.post(f"{url}/api/echo/", json={"name": ""}, timeout=10), 400, "invalid_request")
    assert body["details"] == [
        {"field": "name", "pointer": "/name", "code": "blank", "message": "This field may not be blank."}
    ]
    echoed = api.post(f"{url}/api/echo/", json={"name": "lamp"}, timeout=10)
    assert echoed.status_code == 200 and echoed.json() == {"name": "lamp"}
    # A key the (strict) serializer has no field for.
    body = documented(
        api.post(f"{url}/api/echo/", json={"name": "lamp", "nmae": "x"}, timeout=10), 400, "invalid_request"
    )
    assert [(d["field"], d["code"]) for d in body["details"]] == [("nmae", "unknown_field")]
    documented(api.get(f"{url}/api/gone/", timeout=10), 404, "not_found")

    crashed = api.get(f"{url}/api/aboom/", timeout=10)
    assert crashed.status_code == 500 and crashed.json()["error"] == "server_error"
    assert ("traceback" in crashed.json()) is debug
    if not debug:
        documented(crashed, 500, "server_error")

    # An async view under the app's ratelimit decorator: counted, awaited, then refused.
    first, second, third = (api.get(f"{url}/api/ping/", timeout=10) for _ in range(3))
    assert first.status_code == 200 and first.json() == {"pong": True}
    assert second.status_code == 200 and "RateLimit" in second.headers
    refused = documented(third, 429, "usage_limit_exceeded")
    assert int(third.headers["Retry-After"]) == refused["retry_after"] >= 1


FORM = "application/x-www-form-urlencoded"


def new_product(url: str, name: str) -> tuple[requests.Session, dict[str, object], str]:
    """A JSON client, a product it created (named for this server) and the product's path."""
    api = requests.Session()
    api.headers["Accept"] = "application/json"
    created = api.post(f"{url}/api/products/", json={"name": f"{name}-{url.rsplit(':', 1)[1]}"}, timeout=10)
    assert created.status_code == 201, created.text
    return api, created.json(), f"/api/products/{created.json()['id']}/"


def tagged_product(url: str, name: str) -> tuple[requests.Session, dict[str, object], str, str, str]:
    """``new_product``'s, and the product's URL on the mixin's viewset with its ``ETag`` there."""
    api, created, path = new_product(url, name)
    versioned = f"{url}/api/versioned-products/{created['id']}/"
    return api, created, path, versioned, api.get(versioned, timeout=10).headers["ETag"]


def test_a_compressed_form_or_a_partial_put_is_refused_not_applied(
    server: tuple[str, bool], request: pytest.FixtureRequest
) -> None:
    url, _ = server
    api, created, path = new_product(url, "kettle")
    product = f"{url}{path}"
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Content-Encoding": "gzip"}
    sent = api.patch(product, data=gzip.compress(b"name=renamed"), headers=headers, timeout=10)
    documented(sent, 415, "invalid_content_type")
    assert sent.headers["Accept-Encoding"] == "identity"
    assert api.get(product, timeout=10).json() == created
    # Compressed as a transfer coding: gunicorn de-chunks and hands over the gzip
    # bytes (200, nothing changed, without the check); uvicorn's h11 refuses it itself.
    headers = {"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"}
    raw = chunked("PATCH", path, gzip.compress(b"name=renamed"), headers, transfer="gzip, chunked")
    status, answered, body = raw_http(url, raw)
    if request.node.callspec.params["server"][0] == "uvicorn":
        assert status == 400, body
    else:
        assert status == 415 and json.loads(body)["error"] == "invalid_content_type", body
        assert answered["accept-encoding"] == "identity"
    assert api.get(product, timeout=10).json() == created
    # A PUT of one part of the representation, which the viewset would store as the whole.
    first = {"name": f"{created['name']}-part"}
    part = api.put(product, json=first, headers={"Content-Range": "bytes 0-29/60"}, timeout=10)
    assert "Content-Range" in documented(part, 400, "invalid_request")["error_description"]
    assert api.get(product, timeout=10).json() == created
    # A DELETE tunnelled through POST, which the viewset would take as a create (201).
    listing = f"{url}/api/products/"
    before = api.get(listing, timeout=10).json()["count"]
    tunnel = {"X-HTTP-Method-Override": "DELETE"}
    sent = api.post(listing, json={"name": f"{created['name']}-tunnel"}, headers=tunnel, timeout=10)
    documented(sent, 400, "invalid_request")
    assert api.get(listing, timeout=10).json()["count"] == before
    # A patch document the view has no parser for: what it takes, in Accept-Patch (RFC 5789 §2.2).
    merge = {"Content-Type": "application/merge-patch+json"}
    sent = api.patch(product, data=b'{"name": "renamed"}', headers=merge, timeout=10)
    listed = documented(sent, 415, "invalid_content_type")["supported_media_types"]
    assert "application/json" in listed and sent.headers["Accept-Patch"] == ", ".join(listed)


def test_a_conditional_write_to_a_viewset_without_the_mixin_is_refused_not_applied(
    server: tuple[str, bool],
) -> None:
    url, _ = server
    api, created, path, versioned, tag = tagged_product(url, "desk")
    # The tag is the mixin view's; the plain viewset has none to compare it with and,
    # without the check, answered 200 with the change made.
    sent = api.patch(f"{url}{path}", json={"name": "renamed"}, headers={"If-Match": tag}, timeout=10)
    assert "If-Match" in documented(sent, 412, "precondition_failed")["error_description"]
    sent = api.put(f"{url}{path}", json={"name": "other"}, headers={"If-None-Match": "*"}, timeout=10)
    documented(sent, 412, "precondition_failed")
    assert api.get(f"{url}{path}", timeout=10).json() == created
    # The mixin's view evaluates the same tag, and takes the change.
    sent = api.patch(versioned, json={"name": f"{created['name']}-v2"}, headers={"If-Match": tag}, timeout=10)
    assert sent.status_code == 200, sent.text
    assert api.get(f"{url}{path}", timeout=10).json()["name"] == f"{created['name']}-v2"


def test_form_text_not_in_its_charset_is_refused_not_stored_as_replacement_characters(
    server: tuple[str, bool],
) -> None:
    url, _ = server
    api, created, path = new_product(url, "cafe")
    product = f"{url}{path}"
    renamed = f"{created['name']}-caf%E9".encode()
    # Latin-1 bytes sent as UTF-8 (the default): DRF stored "caf\ufffd" with 200.
    sent = api.patch(product, data=b"name=" + renamed, headers={"Content-Type": FORM}, timeout=10)
    assert "charset" in documented(sent, 400, "invalid_request")["error_description"]
    assert api.get(product, timeout=10).json() == created
    # Said to be Latin-1, the same bytes are the name the client meant.
    latin = {"Content-Type": f"{FORM}; charset=latin-1"}
    sent = api.patch(product, data=b"name=" + renamed, headers=latin, timeout=10)
    assert sent.status_code == 200, sent.text
    assert api.get(product, timeout=10).json()["name"] == f"{created['name']}-café"


def test_json_labelled_latin1_is_read_as_the_utf8_it_is(server: tuple[str, bool]) -> None:
    url, _ = server
    api, created, path = new_product(url, "label")
    product = f"{url}{path}"
    latin = {"Content-Type": "application/json; charset=iso-8859-1"}
    # UTF-8 labelled Latin-1: DRF stored "cafÃ© â\x98\x95" with 200.
    renamed = f"{created['name']}-café ☕"
    sent = api.patch(
        product, data=json.dumps({"name": renamed}, ensure_ascii=False).encode(), headers=latin, timeout=10
    )
    assert sent.status_code == 200, sent.text
    assert api.get(product, timeout=10).json()["name"] == renamed
    # Really Latin-1: not UTF-8, refused, nothing written.
    sent = api.patch(product, data='{"name": "thé"}'.encode("latin-1"), headers=latin, timeout=10)
    documented(sent, 400, "invalid_request")
    assert api.get(product, timeout=10).json()["name"] == renamed


@pytest.fixture
def on_uvicorn(request: pytest.FixtureRequest) -> bool:
    return bool(request.node.callspec.params["server"][0] == "uvicorn")


def test_chunked_framing_the_server_takes_is_applied_and_a_malformed_one_refused(
    server: tuple[str, bool], on_uvicorn: bool
) -> None:
    api, created, path = new_product(server[0], "framed")
    product = f"{server[0]}{path}"
    headers = {"Accept": "application/json", "Content-Type": "application/json"}
    renamed = json.dumps({"name": f"{created['name']}-renamed"}).encode()
    # Content-Length: 0 beside chunked framing: h11 frames the body as chunked
    # (RFC 9112 §6.3) and DRF read the 0: 200, the version bumped, the name kept.
    both = chunked("PATCH", path, renamed, {**headers, "Content-Length": "0"})
    status, _, body = raw_http(server[0], both)
    if on_uvicorn:
        assert status == 200 and json.loads(body)["name"] == f"{created['name']}-renamed", body
        created = api.get(product, timeout=10).json()
        assert created["name"].endswith("-renamed")
    else:
        assert status == 400, body  # gunicorn refuses the pair itself
    # A chunk size gunicorn cannot parse: its exception escaped as a 500 (with
    # DEBUG, Django's HTML page from inside the middleware); h11 refuses it itself.
    bad = chunked("PATCH", path, renamed, headers).replace(b"\r\n\r\n", b"\r\n\r\n+", 1)
    status, answered, body = raw_http(server[0], bad)
    assert status == 400, body
    if not on_uvicorn:
        assert (
            json.loads(body)["error"] == "invalid_request" and answered["content-type"] == "application/json"
        )
        assert b"chunked framing" in body and b"Traceback" not in body
    assert api.get(product, timeout=10).json() == created


def test_json_with_half_an_emoji_is_refused_not_stored_then_failed(server: tuple[str, bool]) -> None:
    url, _ = server
    api, created, path = new_product(url, "emoji")
    product, listing = f"{url}{path}", f"{url}/api/products/"
    count = api.get(listing, timeout=10).json()["count"]
    # What JSON.stringify sends for "\U0001f600".slice(0, 1): the JSONField took it, then the 201 failed.
    cut = b'{"name": "%s-cut", "tags": ["smile \\ud83d"]}' % created["name"].encode()
    json_type = {"Content-Type": "application/json"}
    for method, where in (("post", listing), ("patch", product)):
        sent = getattr(api, method)(where, data=cut, headers=json_type, timeout=10)
        details = documented(sent, 400, "invalid_request")["details"]
        assert [(item["pointer"], item["code"]) for item in details] == [
            ("/tags/0", "surrogate_characters_not_allowed")
        ]
    assert api.get(listing, timeout=10).json()["count"] == count
    assert api.get(product, timeout=10).json() == created
    whole = cut.replace(b"\\ud83d", b"\\ud83d\\ude00")
    sent = api.patch(product, data=whole, headers=json_type, timeout=10)
    assert sent.status_code == 200, sent.text
    assert api.get(product, timeout=10).json()["tags"] == ["smile \U0001f600"]


def _sent_cut_short(url: str, path: str, body: bytes, content_type: str) -> bytes:
    """PATCH announcing all of ``body`` but sending half, then closing our side: what came back."""
    head = (
        f"PATCH {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), timeout=10) as sock:
        sock.sendall(head.encode() + body[: len(body) // 2])
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def test_a_body_cut_short_or_in_another_boundary_is_refused_not_applied(
    server: tuple[str, bool], request: pytest.FixtureRequest
) -> None:
    url, _ = server
    api, created, path = new_product(url, "teapot")
    # A client gone mid-body: gunicorn hands the view what arrived (name=a+much+lo);
    # uvicorn tells Django the client left, and nothing answers.
    answer = _sent_cut_short(url, path, b"name=a+much+longer+name", "application/x-www-form-urlencoded")
    if request.node.callspec.params["server"][0] == "uvicorn":
        assert answer == b"", answer
    else:
        assert answer.startswith(b"HTTP/1.1 400 "), answer
        assert b'"error":"invalid_request"' in answer and b"Content-Length" in answer
    # A multipart body delimited by another boundary than its Content-Type names.
    other = b'--other\r\nContent-Disposition: form-data; name="name"\r\n\r\nrenamed\r\n--other--\r\n'
    sent = api.patch(f"{url}{path}", data=other, headers={"Content-Type": "multipart/form-data; boundary=zz"})
    assert "closing boundary" in documented(sent, 400, "invalid_request")["error_description"]
    assert api.get(f"{url}{path}", timeout=10).json() == created


def test_a_large_upload_streams_whole_and_is_refused_when_cut_short_or_misdelimited(
    server: tuple[str, bool], request: pytest.FixtureRequest
) -> None:
    # Over 2.5 MB the body is not read early: it streams into Django's parser.
    url, _ = server
    api, created, path = new_product(url, "vase")
    renamed = f"vase-renamed-{url.rsplit(':', 1)[1]}"
    upload = (
        b'--b1\r\nContent-Disposition: form-data; name="name"\r\n\r\n%s\r\n'
        b'--b1\r\nContent-Disposition: form-data; name="manual"; filename="manual.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n%s\r\n--b1--\r\n" % (renamed.encode(), b"%" * 3_000_000)
    )
    kind = "multipart/form-data; boundary=b1"
    answer = _sent_cut_short(url, path, upload, kind)
    if request.node.callspec.params["server"][0] == "uvicorn":
        assert answer == b"", answer[:300]
    else:
        assert answer.startswith(b"HTTP/1.1 400 "), answer[:300]
        assert b'"error":"invalid_request"' in answer and b"Content-Length" in answer
    assert api.get(f"{url}{path}", timeout=10).json() == created
    # Sent whole but never closed: Django's parser kept the name and dropped the file (200).
    unclosed = upload[: -len(b"--b1--\r\n")]
    sent = api.patch(f"{url}{path}", data=unclosed, headers={"Content-Type": kind}, timeout=30)
    assert "closing boundary" in documented(sent, 400, "invalid_request")["error_description"]
    assert api.get(f"{url}{path}", timeout=10).json() == created
    whole = api.patch(f"{url}{path}", data=upload, headers={"Content-Type": kind}, timeout=30)
    assert whole.status_code == 200, whole.text
    assert whole.json() == {**created, "name": renamed}
    # Sent chunked (no Content-Length), it streams as above instead of being refused as too big.
    again = upload.replace(renamed.encode(), f"{renamed}-chunked".encode())
    headers = {"Content-Type": kind, "Accept": "application/json"}
    status, _, body = raw_http(url, chunked("PATCH", path, again, headers))
    assert status == 200, body[:300]
    assert json.loads(body) == {**created, "name": f"{renamed}-chunked"}
