"""The Starlette side of the API: the gate every request passes (tokens, body size, CSRF), the
security headers, the pages (sign-in, GraphiQL, import), ``/healthz``, and the WebSocket and
request-body handling of ``/graphql``. The GraphQL areas themselves are the modules of
:mod:`api`; :mod:`api.app` puts both together."""
