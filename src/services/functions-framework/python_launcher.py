"""Serves one Python HTTP function the way Google's Functions Framework for Python does (Flask).

Started by Portico as `python3 python_launcher.py` in the function's source directory, with
FUNCTION_TARGET (required), FUNCTION_SIGNATURE_TYPE (http), optionally FUNCTION_SOURCE (default
main.py) and HOST (default 0.0.0.0), and PORT. The contract is in docs/functions-framework.md:

- the target is called with the Flask request for every method on `/` and `/<path>`, and its return
  value goes through Flask's make_response (str/bytes, dict/list as JSON, (body, status[, headers]),
  Response); `/favicon.ico` and `/robots.txt` answer 404;
- an exception is logged with its traceback and answers 500 with `X-Google-Status: crash`;
- the whole request body is read before a non-streamed response is sent;
- code written for the `functions_framework` package (`@functions_framework.http`) runs unchanged.

Requests are served by werkzeug's threaded WSGI server, one thread per connection; the access log
is left out, as gunicorn (which Google's framework uses) leaves it out by default. SIGTERM stops
accepting connections and exits once the requests in flight have been answered, as gunicorn does.
"""

import importlib.util
import os
import signal
import sys
import threading
import types

CRASH_HEADERS = {"X-Google-Status": "crash"}


def fail(message):
    print(f"portico: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def settings():
    target = os.environ.get("FUNCTION_TARGET", "")
    if not target:
        fail(
            "FUNCTION_TARGET is not set: Python functions need the name of the function to serve "
            "(`functionTarget:` in portico.yaml)."
        )
    signature_type = os.environ.get("FUNCTION_SIGNATURE_TYPE", "http")
    if signature_type != "http":
        fail(
            f"FUNCTION_SIGNATURE_TYPE is {signature_type!r}: Portico serves HTTP functions only "
            "(`def name(request)`); remove FUNCTION_SIGNATURE_TYPE from the service's env."
        )
    source = os.environ.get("FUNCTION_SOURCE") or "main.py"
    return target, source


def import_flask():
    try:
        import flask
        import werkzeug.routing
        import werkzeug.serving
    except ImportError as error:
        fail(
            f"Flask is not installed for {sys.executable} ({error}): install it with "
            f"`{sys.executable} -m pip install flask` (Debian's system Python: `apt install python3-flask`)."
        )
    return flask, werkzeug


def install_decorators(app):
    """`import functions_framework` works without the package: its decorators only name the function."""
    try:
        import functions_framework  # noqa: F401  (the real package, when installed, is used as is)

        return set()
    except ImportError:
        pass
    cloud_events = set()
    module = types.ModuleType("functions_framework")

    def http(function):
        return function

    def cloud_event(function):
        cloud_events.add(function.__name__)
        return function

    module.http = http
    module.cloud_event = cloud_event
    module.errorhandler = app.errorhandler
    sys.modules["functions_framework"] = module
    return cloud_events


def load_target(source, target):
    path = os.path.realpath(source)
    if not os.path.isfile(path):
        fail(
            f"{source} not found in {os.getcwd()}: it is the file that must define the function "
            f"'{target}'. Add it, or set FUNCTION_SOURCE in the service's env to the right file."
        )
    directory, filename = os.path.split(path)
    name = os.path.splitext(filename)[0]
    spec = importlib.util.spec_from_file_location(name, path, submodule_search_locations=[directory])
    module = importlib.util.module_from_spec(spec)
    # The function's directory, not the launcher's, is where its own imports are found.
    sys.path[0] = directory
    sys.modules[name] = module
    spec.loader.exec_module(module)  # an exception here fails the start, traceback and all
    if not hasattr(module, target):
        found = sorted(
            key
            for key, value in vars(module).items()
            if isinstance(value, types.FunctionType) and not key.startswith("_")
        )
        fail(
            f"{source} has no function named '{target}' (functions found: {', '.join(found) or 'none'}). "
            "Set `functionTarget:` in portico.yaml to the name of the function to serve."
        )
    function = getattr(module, target)
    if not callable(function):
        kind = type(function).__name__
        fail(f"'{target}' in {source} is a {kind}, not a function: the target must name a function.")
    return function


def create_app(flask, werkzeug, source, target):
    templates = os.path.join(os.path.dirname(os.path.realpath(source)), "templates")
    app = flask.Flask(target, template_folder=templates)

    def crash(error):
        # Flask has logged the traceback ("Exception on PATH [METHOD]"); the client gets no details.
        return str(error), 500, CRASH_HEADERS

    app.register_error_handler(500, crash)
    cloud_events = install_decorators(app)
    with app.app_context():
        function = load_target(source, target)
    if target in cloud_events:
        fail(f"'{target}' in {source} is a CloudEvent function: Portico serves HTTP functions only.")

    def run(path):
        return function(flask.request._get_current_object())

    def not_found():
        flask.abort(404, description="Not Found")

    rule = werkzeug.routing.Rule
    app.url_map.add(rule("/", defaults={"path": ""}, endpoint="run"))
    app.url_map.add(rule("/robots.txt", endpoint="not_found"))
    app.url_map.add(rule("/favicon.ico", endpoint="not_found"))
    app.url_map.add(rule("/<path:path>", endpoint="run"))
    app.view_functions["run"] = run
    app.view_functions["not_found"] = not_found

    @app.after_request
    def read_request(response):
        # Answering before the body is read would break the connection for the client.
        if not response.is_streamed:
            flask.request.get_data()
        return response

    return app


class InFlight:
    """WSGI middleware counting requests until their response is written (werkzeug then calls close())."""

    def __init__(self, app):
        self.app = app
        self.count = 0
        self.changed = threading.Condition()

    def __call__(self, environ, start_response):
        with self.changed:
            self.count += 1
        try:
            body = self.app(environ, start_response)
        except BaseException:
            self.done()
            raise
        return ClosingBody(body, self.done)

    def done(self):
        with self.changed:
            self.count -= 1
            self.changed.notify_all()

    def wait_idle(self):
        with self.changed:
            self.changed.wait_for(lambda: self.count == 0)


class ClosingBody:
    def __init__(self, body, on_close):
        self.body = body
        self.on_close = on_close

    def __iter__(self):
        return iter(self.body)

    def close(self):
        try:
            if hasattr(self.body, "close"):
                self.body.close()
        finally:
            self.on_close()


def main():
    target, source = settings()
    flask, werkzeug = import_flask()
    app = create_app(flask, werkzeug, source, target)

    class QuietHandler(werkzeug.serving.WSGIRequestHandler):
        def log_request(self, code="-", size="-"):
            pass

    host = os.environ.get("HOST", "0.0.0.0")
    port = int(os.environ.get("PORT", "8080"))
    requests = InFlight(app)
    server = werkzeug.serving.make_server(host, port, requests, threaded=True, request_handler=QuietHandler)

    def stop():
        print(f"SIGTERM: finishing {requests.count} request(s) in flight, then exiting", flush=True)
        server.shutdown()

    # shutdown() waits for serve_forever() to return, so it cannot run in the signal handler itself.
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=stop, daemon=True).start())
    print(f"Serving function '{target}' from {source} on port {server.server_port}", flush=True)
    server.serve_forever()
    server.server_close()
    requests.wait_idle()
    # Idle keep-alive connections hold daemon threads only: they end with the process.


if __name__ == "__main__":
    main()
