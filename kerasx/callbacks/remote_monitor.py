"""RemoteMonitor, as keras.callbacks.RemoteMonitor (with the standard
library's urllib instead of `requests`)."""
import json
import urllib.error
import urllib.parse
import urllib.request
import warnings

import numpy as np

from kerasx.callbacks.callback import Callback


class RemoteMonitor(Callback):
    """POST the epoch's logs to a server at the end of every epoch.

    The payload is `{"epoch": epoch, <metric>: value, ...}`: by default as a
    form field (`field=<JSON>`, application/x-www-form-urlencoded), with
    `send_as_json` as the JSON body (application/json), as Keras sends it.
    An unreachable server gives a warning, not an error.

    Args:
        root: the server's root URL ("http://localhost:9000").
        path: appended to `root` ("/publish/epoch/end/").
        field: the form field holding the JSON ("data").
        headers: extra HTTP headers (a dict).
        send_as_json: send the JSON as the request body.
    """

    def __init__(self, root="http://localhost:9000", path="/publish/epoch/end/",
                 field="data", headers=None, send_as_json=False):
        super().__init__()
        self.root = root
        self.path = path
        self.field = field
        self.headers = headers
        self.send_as_json = send_as_json

    def on_epoch_end(self, epoch, logs=None):
        send = {"epoch": epoch}
        for key, value in (logs or {}).items():
            send[key] = value.item() if isinstance(value, (np.ndarray, np.generic)) \
                else value
        headers = dict(self.headers or {})
        if self.send_as_json:
            body = json.dumps(send).encode("utf-8")
            headers.setdefault("Content-Type", "application/json")
        else:
            body = urllib.parse.urlencode({self.field: json.dumps(send)}).encode("utf-8")
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        request = urllib.request.Request(self.root + self.path, data=body, headers=headers,
                                         method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
        except (urllib.error.URLError, OSError, ValueError):
            warnings.warn("Could not reach RemoteMonitor root server at " + str(self.root),
                          stacklevel=2)
