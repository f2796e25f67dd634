"""Portico's built-in python3 runtime bootstrap (Python 3.9+, standard library only).

Started as `<python> -u bootstrap.py` with fd 3 connected to Portico (a Unix stream socket).
Protocol: docs/runtime-channel.md. Each frame is
    u32 BE header length | u32 BE body length | header (UTF-8 JSON) | body (raw bytes)

The process starts generic ("spare"): it sends `ready`, waits for `init` (handler, task root, env),
imports the handler, then serves `invoke` frames one at a time. Behaviour (handler resolution, context,
error payloads, log formats, response encoding) follows AWS's Python runtime interface client.
"""

import atexit
import importlib
import io
import json
import logging
import os
import socket
import struct
import sys
import threading
import time
import traceback

try:
    import resource
except ImportError:  # not Unix
    resource = None

_CHANNEL_FD = 3
_PREFIX = struct.Struct(">II")
# One encoder for every frame header: json.dumps builds a new one per call when given separators.
_HEADER_JSON = json.JSONEncoder(separators=(",", ":"))
_LOG_FRAME_BYTES = 65536

ERROR_LOG_LINE_TERMINATE = "\r"
ERROR_LOG_IDENT = "\u00a0"  # NO-BREAK SPACE U+00A0
_DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S"

LAMBDA_UNHANDLED_EXCEPTION_WARNING = (
    "LAMBDA_WARNING: "
    "Unhandled exception. "
    "The most likely cause is an issue in the function code. "
    "However, in rare cases, a Lambda runtime update can cause unexpected function behavior. "
    "For functions using managed runtimes, runtime updates can be triggered by a function change, "
    "or can be applied automatically. "
    "To determine if the runtime has been updated, check the runtime version in the INIT_START log entry. "
    "If this error correlates with a change in the runtime version, you may be able to mitigate this error "
    "by temporarily rolling back to the previous runtime version. "
    "For more information, see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html"
)


# --------------------------------------------------------------------------------------------------
# The channel


class Channel(object):
    """Frames over fd 3. Reads happen on the main thread only; writes may come from any thread."""

    def __init__(self, fd):
        self._sock = socket.socket(fileno=fd)
        self._sock.setblocking(True)
        self._reader = self._sock.makefile("rb", buffering=65536)
        self._lock = threading.Lock()
        self.closed = False

    def send(self, header, body=b""):
        """Sends one frame with a single sendall; returns False once Portico has gone away."""
        head = _HEADER_JSON.encode(header).encode("utf-8")
        frame = b"".join((_PREFIX.pack(len(head), len(body)), head, body))
        with self._lock:
            if self.closed:
                return False
            try:
                self._sock.sendall(frame)
            except OSError:
                self.closed = True
                return False
        return True

    def send_log(self, data):
        """Sends log bytes in frames of at most 64 KiB, cut at UTF-8 character boundaries, so no
        single write makes a huge frame to hold (Portico refuses log frames over 6 MB)."""
        for piece in _utf8_pieces(data, _LOG_FRAME_BYTES):
            self.send({"type": "log"}, piece)

    def receive(self):
        """Returns (header dict, body bytes), or None at EOF."""
        prefix = self._read_exact(_PREFIX.size)
        if prefix is None:
            return None
        header_length, body_length = _PREFIX.unpack(prefix)
        head = self._read_exact(header_length)
        if head is None:
            return None
        body = self._read_exact(body_length)
        if body is None:
            return None
        return json.loads(head.decode("utf-8")), body

    def _read_exact(self, n):
        if n == 0:
            return b""
        try:
            data = self._reader.read(n)  # BufferedReader: loops until n bytes or EOF
        except OSError:
            return None
        if data is None or len(data) < n:
            return None
        return data


def _utf8_pieces(data, size):
    """`data` in pieces of at most `size` bytes, never cut inside a UTF-8 character."""
    start = 0
    while len(data) - start > size:
        cut = start + size
        while cut > start + 1 and (data[cut] & 0xC0) == 0x80:
            cut -= 1
        yield data[start:cut]
        start = cut
    if start < len(data):
        yield data[start:]


class _ChannelRaw(io.RawIOBase):
    """The raw layer under sys.stdout/sys.stderr: sends what is flushed as `log` frames of whole
    lines; a trailing partial line waits for its newline, or for `drain()` (before each response).
    Sending blocks while Portico's side of the socket is full, so a log flood slows the function
    down instead of filling its memory; frames hold at most 64 KiB, however large the write."""

    _MAX_PENDING = 65536

    def __init__(self, channel, fd, name):
        super().__init__()
        self._channel = channel
        self._fd = fd
        self._pending = b""
        self._lock = threading.Lock()
        self.name = name

    def writable(self):
        return True

    def isatty(self):
        return False

    def fileno(self):
        # Code that needs a real descriptor (subprocess, faulthandler) gets the original fd 1/2,
        # which Portico still collects.
        return self._fd

    def write(self, b):
        n = len(b)
        if n:
            with self._lock:
                data = self._pending + bytes(b)
                cut = data.rfind(b"\n") + 1
                if len(data) - cut > self._MAX_PENDING:
                    # A very long line: send it in pieces, cut at a UTF-8 character boundary.
                    cut = len(data) - 1
                    while cut > 0 and (data[cut] & 0xC0) == 0x80:
                        cut -= 1
                self._pending = data[cut:]
                self._channel.send_log(data[:cut])
        return n

    def close(self):
        if not self.closed:
            self.drain()
        super().close()

    def drain(self):
        with self._lock:
            data, self._pending = self._pending, b""
            if data:
                self._channel.send_log(data)


class _ChannelStream(io.TextIOWrapper):
    """sys.stdout / sys.stderr: line-buffered UTF-8 text over the channel."""

    def __init__(self, channel, fd, name, errors):
        self._raw = _ChannelRaw(channel, fd, name)
        super().__init__(
            io.BufferedWriter(self._raw, 65536), encoding="utf-8", errors=errors, line_buffering=True
        )

    def drain(self):
        """Flushes everything, a trailing partial line included."""
        self.flush()
        self._raw.drain()


_channel = None
_stdout = None
_stderr = None


def _flush_streams():
    for stream in (_stdout, _stderr):
        if stream is not None:
            try:
                stream.drain()
            except Exception:
                pass


def _exit(code):
    """Leaves without waiting for user threads (Lambda freezes/kills the sandbox the same way)."""
    _flush_streams()
    os._exit(code)


# --------------------------------------------------------------------------------------------------
# Logging (what the RIC's StandardLogSink + handler do, on the channel)


class LogSink(object):
    def log(self, msg, frame_type=None):
        try:
            _stdout.write(msg)
            _stdout.flush()
        except ValueError:  # the function closed sys.stdout: write the frame directly
            _channel.send_log(msg.encode("utf-8", "backslashreplace"))

    def log_error(self, message_lines):
        self.log(ERROR_LOG_LINE_TERMINATE.join(message_lines) + "\n")


_GLOBAL_AWS_REQUEST_ID = None
_GLOBAL_TENANT_ID = None


class LambdaLoggerHandler(logging.Handler):
    def __init__(self, log_sink):
        logging.Handler.__init__(self)
        self.log_sink = log_sink

    def emit(self, record):
        try:
            msg = self.format(record)
            self.log_sink.log(msg)
        except Exception:
            self.handleError(record)


class LambdaLoggerFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _GLOBAL_AWS_REQUEST_ID or ""
        record.tenant_id = _GLOBAL_TENANT_ID
        return True


_RESERVED_FIELDS = {
    "name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module", "exc_info",
    "exc_text", "stack_info", "lineno", "funcName", "created", "msecs", "relativeCreated", "thread",
    "threadName", "processName", "process", "taskName", "aws_request_id", "tenant_id", "_frame_type",
}


def _format_log_level(record):
    return min(50, max(0, record.levelno)) // 10 * 10


class JsonFormatter(logging.Formatter):
    """AWS_LAMBDA_LOG_FORMAT=JSON records, as the RIC writes them."""

    def __init__(self):
        super().__init__(datefmt=_DATETIME_FORMAT)
        self._encode = json.JSONEncoder(ensure_ascii=False).encode

    def formatTime(self, record, datefmt=None):
        import datetime

        dt = datetime.datetime.fromtimestamp(record.created, tz=datetime.timezone.utc)
        return dt.strftime(_DATETIME_FORMAT + ".%f")[:-3] + "Z"

    def format(self, record):
        record.levelno = _format_log_level(record)
        record.levelname = logging.getLevelName(record.levelno)
        exc_info = record.exc_info
        result = {
            "timestamp": self.formatTime(record, self.datefmt),
            "level": record.levelname,
            "message": record.getMessage(),
            "logger": record.name,
            "stackTrace": traceback.format_tb(exc_info[2]) if exc_info else None,
            "errorType": exc_info[0].__name__ if exc_info else None,
            "errorMessage": str(exc_info[1]) if exc_info else None,
            "requestId": getattr(record, "aws_request_id", None),
            "location": "{}:{}:{}".format(record.pathname, record.funcName, record.lineno)
            if exc_info
            else None,
        }
        if getattr(record, "tenant_id", None) is not None:
            result["tenantId"] = record.tenant_id
        result.update(
            (key, value)
            for key, value in record.__dict__.items()
            if key not in _RESERVED_FIELDS and key not in result
        )
        result = {k: v for k, v in result.items() if v is not None}
        return self._encode(result) + "\n"


def _json_log_format():
    value = os.environ.get("AWS_LAMBDA_LOG_FORMAT")
    return bool(value) and value.upper() == "JSON"


def _log_level_from_env():
    value = os.environ.get("AWS_LAMBDA_LOG_LEVEL")
    return {None: "", "TRACE": "DEBUG"}.get(value, value).upper()


def _setup_logging(log_sink):
    logging.Formatter.converter = time.gmtime
    logger = logging.getLogger()
    handler = LambdaLoggerHandler(log_sink)
    if _json_log_format():
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter(
                "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n",
                _DATETIME_FORMAT,
            )
        )
    log_level = _log_level_from_env()
    if log_level in logging._nameToLevel:
        logger.setLevel(log_level)
    handler.addFilter(LambdaLoggerFilter())
    logger.addHandler(handler)


def replace_line_indentation(line, indent_char, new_indent_char):
    count = 0
    for c in line:
        if c != indent_char:
            break
        count += 1
    return (new_indent_char * count) + line[count:]


def log_error(error_result, log_sink):
    if _json_log_format():
        record = {
            "timestamp": time.strftime(_DATETIME_FORMAT, time.gmtime(time.time())),
            "level": "ERROR",
        }
        record.update(error_result)
        log_sink.log_error([to_json(record)])
        return

    description = "[ERROR]"
    error_type = error_result.get("errorType")
    if error_type:
        description += " " + error_type
    error_message = error_result.get("errorMessage")
    if error_message:
        if error_type:
            description += ":"
        description += " " + error_message

    lines = [description]
    stack_trace = error_result.get("stackTrace")
    if stack_trace is not None:
        lines.append("Traceback (most recent call last):")
        for element in stack_trace:
            if element == "":
                lines.append("")
            else:
                for trace_line in element.splitlines():
                    lines.append(replace_line_indentation(trace_line, " ", ERROR_LOG_IDENT))
    log_sink.log_error(lines)


# --------------------------------------------------------------------------------------------------
# Errors


class FaultException(Exception):
    MARSHAL_ERROR = "Runtime.MarshalError"
    UNMARSHAL_ERROR = "Runtime.UnmarshalError"
    USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
    HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
    IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
    BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
    MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"
    LAMBDA_CONTEXT_UNMARSHAL_ERROR = "Runtime.LambdaContextUnmarshalError"

    def __init__(self, exception_type, msg, trace=None):
        super().__init__(msg)
        self.msg = msg
        self.exception_type = exception_type
        self.trace = trace


def make_error(error_message, error_type, stack_trace, invoke_id=None):
    return {
        "errorMessage": error_message if error_message else "",
        "errorType": error_type if error_type else "",
        "requestId": invoke_id if invoke_id is not None else "",
        "stackTrace": stack_trace if stack_trace else [],
    }


def _safe_str(value):
    try:
        return str(value)
    except Exception:
        return "<unprintable {} object>".format(type(value).__name__)


def _user_frames(tb):
    """Traceback tuples without the leading frames that belong to this bootstrap."""
    tb_tuples = [(f.filename, f.lineno, f.name, f.line) for f in traceback.extract_tb(tb)]
    for i in range(len(tb_tuples)):
        if "/bootstrap.py" not in tb_tuples[i][0]:
            return tb_tuples[i:]
    return tb_tuples


def build_fault_result(exc_info, invoke_id=None):
    etype, value, tb = exc_info
    return make_error(
        _safe_str(value), etype.__name__, traceback.format_list(_user_frames(tb)), invoke_id
    )


# --------------------------------------------------------------------------------------------------
# JSON in and out (the RIC uses simplejson; this is the stdlib equivalent)

_DECIMAL_MARK = "\x00portico-decimal-" + os.urandom(8).hex() + ":"
_decimal_token = None
# The RIC writes non-ASCII text unescaped from python3.12 on; decided at init from the declared
# runtime (AWS_EXECUTION_ENV=AWS_Lambda_python3.N), else from this interpreter's version.
_ENSURE_ASCII = sys.version_info < (3, 12)


def _decide_ensure_ascii():
    global _ENSURE_ASCII
    declared = os.environ.get("AWS_EXECUTION_ENV", "")
    prefix = "AWS_Lambda_python3."
    if declared.startswith(prefix) and declared[len(prefix):].isdigit():
        _ENSURE_ASCII = int(declared[len(prefix):]) < 12
    else:
        _ENSURE_ASCII = sys.version_info < (3, 12)


class _Encoder(json.JSONEncoder):
    """Default separators (", " and ": "), Decimal written as its exact literal, UTF-8 on 3.12+."""

    def __init__(self):
        super().__init__(ensure_ascii=_ENSURE_ASCII)
        self.decimals = []

    def default(self, obj):
        import decimal

        if isinstance(obj, decimal.Decimal):
            if obj.is_nan():
                return float("nan")
            self.decimals.append(str(obj))
            return _DECIMAL_MARK + str(len(self.decimals) - 1)
        return super().default(obj)


_response_encoder = None


def to_json(obj):
    global _decimal_token, _response_encoder
    # One encoder while the output's ASCII rule stands: making one costs more than encoding a small response.
    encoder = _response_encoder
    if encoder is None or encoder.ensure_ascii != _ENSURE_ASCII:
        encoder = _response_encoder = _Encoder()
    encoder.decimals = []
    text = encoder.encode(obj)
    if encoder.decimals:
        import re

        if _decimal_token is None:
            quoted = json.dumps(_DECIMAL_MARK)[:-1]  # '"\u0000portico-decimal-<hex>:'
            _decimal_token = re.compile(re.escape(quoted) + r'(\d+)"')
        decimals = encoder.decimals
        text = _decimal_token.sub(lambda m: decimals[int(m.group(1))], text)
    return text


def marshal_response(response):
    if isinstance(response, bytes):
        return response
    try:
        return to_json(response).encode("utf-8")
    except Exception as e:
        raise FaultException(
            FaultException.MARSHAL_ERROR, "Unable to marshal response: {}".format(_safe_str(e))
        )


def unmarshal_request(body):
    try:
        return json.loads(body)
    except Exception as e:
        raise FaultException(
            FaultException.UNMARSHAL_ERROR, "Unable to unmarshal input: {}".format(_safe_str(e))
        )


# --------------------------------------------------------------------------------------------------
# Context


class CognitoIdentity(object):
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]

    def __repr__(self):
        return "CognitoIdentity([cognito_identity_id={},cognito_identity_pool_id={}])".format(
            self.cognito_identity_id, self.cognito_identity_pool_id
        )


class Client(object):
    __slots__ = [
        "installation_id",
        "app_title",
        "app_version_name",
        "app_version_code",
        "app_package_name",
    ]

    def __repr__(self):
        return "Client([{}])".format(
            ",".join("{}={}".format(k, getattr(self, k)) for k in self.__slots__)
        )


class ClientContext(object):
    __slots__ = ["custom", "env", "client"]

    def __repr__(self):
        return "ClientContext([custom={},env={},client={}])".format(self.custom, self.env, self.client)


def _obj_from_dict(cls, values):
    if values is None:
        return None
    obj = cls()
    for field in cls.__slots__:
        setattr(obj, field, values.get(field, None))
    return obj


def _environment_value(key):
    """os.environ.get(key) for an ASCII name given as bytes, without os.environ's encoding of the name (this
    runs five times per invocation)."""
    value = os.environ._data.get(key)
    return None if value is None else os.environ.decodevalue(value)


class LambdaContext(object):
    def __init__(
        self,
        invoke_id,
        client_context,
        cognito_identity,
        epoch_deadline_time_in_ms,
        invoked_function_arn=None,
        tenant_id=None,
    ):
        self.aws_request_id = invoke_id
        # Read per invocation, as AWS's runtime does: a handler that changes them sees its change.
        self.log_group_name = _environment_value(b"AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = _environment_value(b"AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = _environment_value(b"AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = _environment_value(b"AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = _environment_value(b"AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invoked_function_arn
        self.tenant_id = tenant_id

        self.client_context = _obj_from_dict(ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = _obj_from_dict(Client, self.client_context.client)

        self.identity = _obj_from_dict(CognitoIdentity, {})
        if cognito_identity is not None:
            self.identity.cognito_identity_id = cognito_identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = cognito_identity.get("cognitoIdentityPoolId")

        self._epoch_deadline_time_in_ms = epoch_deadline_time_in_ms

    def get_remaining_time_in_millis(self):
        epoch_now_in_ms = int(time.time() * 1000)
        delta_ms = self._epoch_deadline_time_in_ms - epoch_now_in_ms
        return delta_ms if delta_ms > 0 else 0

    def log(self, msg):
        for handler in logging.getLogger().handlers:
            if hasattr(handler, "log_sink"):
                handler.log_sink.log(str(msg))
                return
        sys.stdout.write(str(msg))

    def __repr__(self):
        return (
            "LambdaContext(["
            "aws_request_id={},log_group_name={},log_stream_name={},function_name={},"
            "memory_limit_in_mb={},function_version={},invoked_function_arn={},"
            "client_context={},identity={},tenant_id={}])"
        ).format(
            self.aws_request_id,
            self.log_group_name,
            self.log_stream_name,
            self.function_name,
            self.memory_limit_in_mb,
            self.function_version,
            self.invoked_function_arn,
            self.client_context,
            self.identity,
            self.tenant_id,
        )


def _context_json(value, name):
    """clientContext / cognitoIdentity arrive as JSON values; a JSON *string* is parsed like the header."""
    if value is None or value == "":
        return None
    if isinstance(value, (str, bytes)):
        try:
            value = json.loads(value)
        except Exception as e:
            raise FaultException(
                FaultException.LAMBDA_CONTEXT_UNMARSHAL_ERROR,
                "Unable to parse {} JSON: {}".format(name, _safe_str(e)),
            )
    if not isinstance(value, dict):
        return None
    return value


# --------------------------------------------------------------------------------------------------
# Init and invoke


def _get_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException(
            FaultException.MALFORMED_HANDLER_NAME, "Bad handler '{}': {}".format(handler, str(e))
        )

    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultException(
                FaultException.BUILT_IN_MODULE_CONFLICT,
                "Cannot use built-in module {} as a handler module".format(modname),
            )
        m = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultException(
            FaultException.IMPORT_MODULE_ERROR,
            "Unable to import module '{}': {}".format(modname, str(e)),
        )
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultException(
            FaultException.USER_CODE_SYNTAX_ERROR,
            "Syntax error in module '{}': {}".format(modname, str(e)),
            trace,
        )

    try:
        return getattr(m, fname)
    except AttributeError:
        raise FaultException(
            FaultException.HANDLER_NOT_FOUND,
            "Handler '{}' missing on module '{}'".format(fname, modname),
        )


def _apply_environment(env, task_root):
    # Exactly the function's environment: nothing this process was started with stays.
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in env.items()})
    if hasattr(time, "tzset"):
        time.tzset()  # TZ may have changed
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        sys.dont_write_bytecode = True
    os.chdir(task_root)
    # The interpreter read PYTHONPATH before the function was known: apply the function's now,
    # behind the task root (which comes first, as in Lambda).
    extra = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    for entry in [task_root] + extra:
        while entry in sys.path:
            sys.path.remove(entry)
    sys.path[0:0] = [task_root] + extra
    importlib.invalidate_caches()


def _max_rss_kb():
    if resource is None:
        return 0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss // 1024 if sys.platform == "darwin" else rss  # bytes on macOS, KiB on Linux


def _init(header, log_sink):
    """Returns the handler, or reports the init error and exits."""
    logging_ready = False
    try:
        _apply_environment(header.get("env") or {}, header["taskRoot"])
        _decide_ensure_ascii()
        _setup_logging(log_sink)
        logging_ready = True
        return _get_handler(header["handler"])
    except Exception as e:
        if isinstance(e, FaultException):
            error_result = make_error(e.msg, e.exception_type, e.trace)
        else:
            error_result = build_fault_result(sys.exc_info())
        if not logging_ready:
            try:
                _setup_logging(log_sink)
            except Exception:
                pass
        logging.warning(LAMBDA_UNHANDLED_EXCEPTION_WARNING)
        log_error(error_result, log_sink)
        _flush_streams()
        _channel.send(
            {"type": "init-error", "errorType": error_result["errorType"]},
            to_json(error_result).encode("utf-8"),
        )
        _exit(1)


def _set_trace_id(trace_id):
    """Sets _X_AMZN_TRACE_ID in os.environ alone, as AWS's runtime sets it per invocation.

    os.environ would also hand each value to the C library's setenv, which never frees one: 140 MB per
    million invocations, until the instance's memory limit killed it. Python code (os.environ, os.getenv)
    sees the value; child processes started without an explicit env, and getenv in C, do not.
    """
    data = os.environ._data
    if trace_id:
        data[b"_X_AMZN_TRACE_ID"] = os.environ.encodevalue(trace_id)
    else:
        data.pop(b"_X_AMZN_TRACE_ID", None)


def _handle_invoke(request_handler, header, body, log_sink):
    global _GLOBAL_AWS_REQUEST_ID, _GLOBAL_TENANT_ID
    invoke_id = header.get("requestId")
    _GLOBAL_AWS_REQUEST_ID = invoke_id
    _GLOBAL_TENANT_ID = header.get("tenantId")

    _set_trace_id(header.get("traceId"))

    error_result = None
    payload = b""
    try:
        context = LambdaContext(
            invoke_id,
            _context_json(header.get("clientContext"), "Client Context"),
            _context_json(header.get("cognitoIdentity"), "Cognito Identity"),
            header.get("deadlineMs") or 0,
            header.get("invokedFunctionArn"),
            _GLOBAL_TENANT_ID,
        )
        event = unmarshal_request(body)
        response = request_handler(event, context)
        payload = marshal_response(response)
    except FaultException as e:
        error_result = make_error(e.msg, e.exception_type, e.trace, invoke_id)
    except Exception:
        error_result = build_fault_result(sys.exc_info(), invoke_id)

    if error_result is not None:
        log_error(error_result, log_sink)
        _flush_streams()
        _channel.send(
            {
                "type": "error",
                "requestId": invoke_id,
                "errorType": error_result["errorType"],
                "maxRssKb": _max_rss_kb(),
            },
            to_json(error_result).encode("utf-8"),
        )
    else:
        _flush_streams()
        _channel.send(
            {"type": "response", "requestId": invoke_id, "maxRssKb": _max_rss_kb()}, payload
        )


def _drop_own_directory_from_path():
    here = os.path.dirname(os.path.realpath(__file__))
    sys.path[:] = [p for p in sys.path if not p or os.path.realpath(p) != here]


def main():
    global _channel, _stdout, _stderr
    _channel = Channel(_CHANNEL_FD)
    _stdout = _ChannelStream(_channel, 1, "<stdout>", "strict")
    _stderr = _ChannelStream(_channel, 2, "<stderr>", "backslashreplace")
    sys.stdout = _stdout
    sys.stderr = _stderr
    atexit.register(_flush_streams)  # sys.exit() in a handler: send its last partial line too
    _drop_own_directory_from_path()
    log_sink = LogSink()

    if not _channel.send({"type": "ready"}):
        _exit(0)

    while True:
        frame = _channel.receive()
        if frame is None:
            _exit(0)
        header, _body = frame
        if header.get("type") == "init":
            break

    request_handler = _init(header, log_sink)
    if not _channel.send({"type": "initialized"}):
        _exit(0)

    while True:
        frame = _channel.receive()
        if frame is None or _channel.closed:
            _exit(0)
        header, body = frame
        if header.get("type") == "invoke":
            _handle_invoke(request_handler, header, body, log_sink)


if __name__ == "__main__":
    main()
