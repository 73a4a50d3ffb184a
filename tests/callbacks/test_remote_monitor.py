"""keras.callbacks.RemoteMonitor: fit POSTs each epoch's logs, as a form
field or as a JSON body, to a local HTTP server; the posted values are
History's; an unreachable server warns."""
import http.server
import json
import threading
import urllib.parse

import numpy as np
import pytest

import kerasx


class _Handler(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.path, self.headers["Content-Type"],
                                     self.headers.get("X-Run"), body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Handler.received = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", _Handler.received
    finally:
        httpd.shutdown()
        httpd.server_close()


def _fit(callback):
    rng = np.random.default_rng(0)
    model = kerasx.Sequential([kerasx.Input((3,)), kerasx.layers.Dense(1)])
    model.compile("sgd", "mse", metrics=["mae"])
    return model.fit(rng.normal(size=(8, 3)).astype("float32"),
                     rng.normal(size=(8, 1)).astype("float32"), epochs=2, batch_size=4,
                     verbose=0, callbacks=[callback]).history


@pytest.mark.parametrize("send_as_json", [False, True])
def test_posts_each_epoch(backend, server, send_as_json):
    root, received = server
    history = _fit(kerasx.callbacks.RemoteMonitor(root=root, path="/epoch/",
                                                  headers={"X-Run": "r1"},
                                                  send_as_json=send_as_json))
    assert len(received) == 2
    for epoch, (path, content_type, run, body) in enumerate(received):
        assert path == "/epoch/" and run == "r1"
        if send_as_json:
            assert content_type == "application/json"
            payload = json.loads(body)
        else:
            assert content_type == "application/x-www-form-urlencoded"
            payload = json.loads(urllib.parse.parse_qs(body.decode())["data"][0])
        assert payload["epoch"] == epoch
        for key in ("loss", "mae"):
            assert payload[key] == pytest.approx(history[key][epoch], rel=1e-6)


def test_unreachable_server_warns():
    monitor = kerasx.callbacks.RemoteMonitor(root="http://127.0.0.1:9")
    with pytest.warns(UserWarning, match="Could not reach RemoteMonitor"):
        monitor.on_epoch_end(0, {"loss": np.float32(1.5)})
