"""The Starlette application: ``/graphql`` (with GraphiQL and multipart uploads), the pages, and
``/healthz``; the HTTP side of each lives in :mod:`api.http`.

Start-up order matters: settings, database at the right revision, broker, then the actors
(an actor binds the broker it is declared on), then — embedded mode only — the in-process
worker and the jobs a previous process left unfinished.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator
from functools import partial

from anyio import to_thread
from sqlalchemy import Engine
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from api import locale as locales
from api import process
from api.context import Context
from api.errors import Refused, refused_before_execution
from api.http import calendar, health, json_body, login, pages
from api.http.gate import PREFLIGHT_HEADERS, Authenticate, RequestGuard
from api.http.headers import SecurityHeaders
from api.http.negotiate import GraphQLResponseType
from api.http.websocket import AuthenticatedTransportWS, Connection
from api.schema import make_schema
from api.tokens import Claims, TokenVerifier
from api.viewer import Viewer, ViewerCache, resolve_viewer
from domain import fingerprints, migrate
from domain.db import async_twin
from domain.errors import new_reference
from domain.settings import Settings
from plugins.registry import get_plugin_manager, load_formats
from workers import broker as broker_setup
from workers import embedded, runtime

log = logging.getLogger(__name__)
REQUEST_ID_HEADER = "X-Request-ID"
MAX_SUBSCRIPTIONS = 10  # live operations on one socket ("Subscription limit reached"): each polls a row
CONTEXT_STATE = "salon_context"  # the request's Context in the scope's state, for __call__ to release
GZIP_MIN_BYTES = 1024  # smaller answers gain less than compressing costs
# zlib's own default rather than Starlette's 9: on a repetitive answer (a salon's chart points,
# 40 KB) level 9 took 3.5 times the CPU of level 6 (0.70 against 0.20 ms) to be 7 % smaller; on
# texts the two took the same
GZIP_LEVEL = 6
ENVELOPE_BYTES = 1024 * 1024  # room for a multipart upload's operations, map and boundaries


class SalonGraphQL(GraphQL):
    """GraphiQL only when the schema is exposed (``SALON_EXPOSE_SCHEMA``); otherwise GET
    /graphql for a browser is a 404 and introspection is refused.

    Request bodies and socket messages are decoded by :mod:`api.http.json_body` (too deep, or
    not text: 400 ``BAD_USER_INPUT``); a socket speaks ``graphql-transport-ws`` only and is
    authenticated by :mod:`api.http.websocket`; a viewer refused outright gets 403 ``FORBIDDEN``.
    """

    graphql_transport_ws_handler_class = AuthenticatedTransportWS

    def __init__(
        self, settings: Settings, engine: Engine, formats: dict, verifier: TokenVerifier | None = None
    ) -> None:
        super().__init__(
            make_schema(settings),
            graphql_ide="graphiql" if settings.schema_exposed else None,
            multipart_uploads_enabled=True,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),  # the legacy one has no auth hook here
            max_subscriptions_per_connection=MAX_SUBSCRIPTIONS,
        )
        self.settings = settings
        self.engine = engine
        self.formats = formats
        self.verifier = verifier or TokenVerifier(settings)
        self.viewers = ViewerCache(settings.viewer_cache_seconds)
        self.twin: AsyncEngine | None = None  # set for the serving loop's life by the lifespan

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except Refused as refused:  # raised before a response was started
            await refused.response()(scope, receive, send)
        finally:  # the operation's held session goes back to the pool, whatever happened (api.reads)
            context = scope.get("state", {}).get(CONTEXT_STATE)
            if context is not None:
                context.reads.release()

    def decode_json(self, data: str | bytes) -> object:
        return json_body.decode(data)

    def parse_json(self, data: str | bytes) -> object:
        try:
            return self.decode_json(data)
        except json_body.BadJson as error:
            raise Refused(400, str(error), "BAD_USER_INPUT") from None
        except json.JSONDecodeError:
            raise Refused(400, "the request body is not valid JSON", "BAD_USER_INPUT") from None

    async def _viewer(self, claims: Claims) -> Viewer:
        """The claims' viewer, from the cache while fresh (see :class:`api.viewer.ViewerCache`)."""
        if (cached := self.viewers.get(claims)) is not None:
            return cached

        def resolve() -> Viewer:
            with Session(self.engine) as session:
                return resolve_viewer(session, claims)

        viewer = await to_thread.run_sync(resolve)
        self.viewers.put(claims, viewer)
        return viewer

    async def _verify(self, token: str) -> Claims:
        return await self.verifier.verify_async(token)

    def _context(
        self, viewer: Viewer, headers: Headers, request_id: str | None = None, *, hold_session: bool = False
    ) -> Context:
        return Context(
            settings=self.settings,
            engine=self.engine,
            viewer=viewer,
            formats=self.formats,
            header_locale=locales.from_header(headers.get("accept-language")),
            request_id=request_id or new_reference(),
            hold_session=hold_session,
            twin=self.twin,
        )

    async def get_context(self, request, response) -> Context | Connection:
        if isinstance(request, WebSocket):  # authenticated by its connection_init (api.http.websocket)
            return Connection(
                request, self._verify, self._viewer, partial(self._context, headers=request.headers)
            )
        request_id = new_reference()  # before the viewer: its lookup is the first database read
        try:
            viewer = await self._viewer(request.state.claims)  # set by Authenticate, which refuses without
        except Exception as error:  # noqa: BLE001  (masked like any resolver's error, with the request id)
            raise refused_before_execution(error, request_id, "resolving the viewer") from None
        if viewer.refusal:
            raise Refused(403, viewer.refusal, "FORBIDDEN")
        context = self._context(viewer, request.headers, request_id, hold_session=True)
        setattr(request.state, CONTEXT_STATE, context)  # for __call__, which releases its session
        response.headers[REQUEST_ID_HEADER] = context.request_id  # the id a masked error quotes
        return context

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return pages.console(self.graphql_ide_html)


def _rekey_fingerprints(engine: Engine, settings: Settings) -> None:
    """Key feedback fingerprints stored unkeyed by an earlier version (a migration cannot: it
    has no secret), so that no erased text stays confirmable by hashing a guess."""
    with engine.begin() as connection:
        rekeyed = fingerprints.rekey_legacy(connection, fingerprints.fingerprint_key(settings.secret_key))
    if rekeyed:
        log.info("keyed %d feedback fingerprint(s) stored by an earlier version", rekeyed)


def create_app(settings: Settings, engine: Engine | None = None, *, tune_process: bool = False) -> Starlette:
    """The application. ``tune_process`` (a server process of its own: ``salon serve``, the
    benchmark) tunes the interpreter once started (:mod:`api.process`); tests start many apps in
    one process and leave it as it is."""
    engine = runtime.configure(settings, engine)
    formats = load_formats(get_plugin_manager())  # a broken or duplicate plugin stops the start here

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        migrate.ensure_current(engine, auto_upgrade=settings.is_sqlite)
        await to_thread.run_sync(_rekey_fingerprints, engine, settings)
        broker = broker_setup.setup(settings)
        import workers.actors  # noqa: F401  (declares the actors on the broker just set)

        worker = None
        if settings.embedded_broker:
            worker = embedded.start_worker(broker, settings.worker_threads)
            embedded.requeue_unfinished(engine, broker)
        app.state.broker = broker
        app.state.settings = settings
        # PostgreSQL's reads on this loop, which the twin's connections belong to (api.reads)
        graphql.twin = app.state.twin = async_twin(engine) if engine.dialect.name == "postgresql" else None
        if tune_process:
            process.tune()  # once the process holds what it keeps for its life
        try:
            yield
        finally:
            twin, graphql.twin = graphql.twin, None
            if twin is not None:
                await twin.dispose()
            if worker is not None:
                embedded.stop_worker(worker, broker)

    verifier = TokenVerifier(settings)  # one per app: an OIDC issuer's keys are cached once
    graphql = SalonGraphQL(settings, engine, formats, verifier)
    sign_in, sign_out = login.routes(verifier)
    return Starlette(
        routes=[
            Route("/", pages.home),
            Route("/healthz", health.route(engine, settings.broker_url)),
            Route("/login", sign_in, methods=["GET", "POST"]),
            Route("/logout", sign_out, methods=["POST"]),
            Route("/import", pages.import_page()),
            Route("/salons/{salon_id:int}.ics", calendar.route(engine, settings)),
            Route("/graphql", graphql),
            WebSocketRoute("/graphql", graphql),
            Mount("/static", StaticFiles(directory=pages.STATIC_DIR), name="static"),
        ],
        middleware=[  # every route, outermost first
            Middleware(SecurityHeaders),  # on every answer, refusals included
            Middleware(  # before Authenticate: a preflight carries no token and must not get 401
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["authorization", "content-type", "accept", *PREFLIGHT_HEADERS],
                expose_headers=[REQUEST_ID_HEADER],
                max_age=600,
            ),
            Middleware(
                GZipMiddleware, minimum_size=GZIP_MIN_BYTES, compresslevel=GZIP_LEVEL
            ),  # a salon: 64 KB, 12.6 KB gzipped
            Middleware(GraphQLResponseType),  # inside gzip: it reads the plain body
            Middleware(Authenticate, verifier=verifier),  # it knows the public routes
            Middleware(  # after Authenticate: an HR admin's import may be larger
                RequestGuard,
                max_bytes=settings.max_body_bytes,
                max_import_bytes=settings.import_max_bytes + ENVELOPE_BYTES,
            ),
        ],
        lifespan=lifespan,
    )
