"""A re-creation of the field's old vending server, for bench/polling_comparison.ts.

NOT the original: that was a Flask app we do not have (and Flask is not
installable here). This keeps its design, which is what the comparison is
about: an ESP32 polls over HTTP every 2 s for pending vends; a buy writes a
pending vend row; the device's poll picks it up, vends, and posts the
result. Written with the standard library only (http.server, sqlite3), one
thread per request like Flask's development server with threaded=True, one
SQLite file, and a lock around each transaction (SQLite's single writer).

Endpoints (JSON):
  POST /buy            {"user": id, "machine": code}  -> 201 {"order_id"}
                       402 short balance, 409 out of stock
  GET  /poll?machine=  -> 200 {"vends": [{"order_id", "slot"}]} and marks them sent
  POST /result         {"order_id", "result"} -> 200 {"ok": true}; a refund on
                       anything but "dropped", once

Usage: python3 bench/lib/polling_server.py <port> <sqlite file> <machines> <units> <users> <balance>
"""
import json
import sqlite3
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PORT, PATH = int(sys.argv[1]), sys.argv[2]
MACHINES, UNITS, USERS, BALANCE = (int(value) for value in sys.argv[3:7])
PRICE = 100
lock = threading.Lock()
local = threading.local()


def conn():
    if not hasattr(local, "db"):
        local.db = sqlite3.connect(PATH, timeout=10, isolation_level=None)
    return local.db


def setup():
    db = conn()
    db.executescript(
        """
        PRAGMA journal_mode = WAL;
        DROP TABLE IF EXISTS users; DROP TABLE IF EXISTS machines; DROP TABLE IF EXISTS orders;
        CREATE TABLE users (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL);
        CREATE TABLE machines (code TEXT PRIMARY KEY, stock INTEGER NOT NULL);
        CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER, machine TEXT, status TEXT);
        """
    )
    db.executemany("INSERT INTO users (id, balance) VALUES (?, ?)", [(i, BALANCE) for i in range(1, USERS + 1)])
    db.executemany("INSERT INTO machines (code, stock) VALUES (?, ?)", [(f"bench-{i:05d}", UNITS) for i in range(1, MACHINES + 1)])


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        return json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")

    def do_GET(self):
        url = urlparse(self.path)
        if url.path != "/poll":
            return self.reply(404, {"error": "not_found"})
        machine = parse_qs(url.query).get("machine", [""])[0]
        with lock:
            db = conn()
            db.execute("BEGIN IMMEDIATE")
            rows = db.execute("SELECT id FROM orders WHERE machine = ? AND status = 'pending' ORDER BY id", (machine,)).fetchall()
            db.executemany("UPDATE orders SET status = 'sent' WHERE id = ?", rows)
            db.execute("COMMIT")
        self.reply(200, {"vends": [{"order_id": row[0], "slot": 1} for row in rows]})

    def do_POST(self):
        payload = self.body()
        if self.path == "/buy":
            with lock:
                db = conn()
                db.execute("BEGIN IMMEDIATE")
                if db.execute("UPDATE machines SET stock = stock - 1 WHERE code = ? AND stock > 0", (payload["machine"],)).rowcount == 0:
                    db.execute("ROLLBACK")
                    return self.reply(409, {"error": "out_of_stock"})
                if db.execute("UPDATE users SET balance = balance - ? WHERE id = ? AND balance >= ?", (PRICE, payload["user"], PRICE)).rowcount == 0:
                    db.execute("ROLLBACK")
                    return self.reply(402, {"error": "insufficient_balance"})
                order_id = db.execute("INSERT INTO orders (user_id, machine, status) VALUES (?, ?, 'pending')", (payload["user"], payload["machine"])).lastrowid
                db.execute("COMMIT")
            return self.reply(201, {"order_id": order_id})
        if self.path == "/result":
            with lock:
                db = conn()
                db.execute("BEGIN IMMEDIATE")
                status = "completed" if payload["result"] == "dropped" else "refunded"
                changed = db.execute("UPDATE orders SET status = ? WHERE id = ? AND status = 'sent'", (status, payload["order_id"])).rowcount
                if changed and status == "refunded":
                    db.execute("UPDATE users SET balance = balance + ? WHERE id = (SELECT user_id FROM orders WHERE id = ?)", (PRICE, payload["order_id"]))
                db.execute("COMMIT")
            return self.reply(200, {"ok": True})
        self.reply(404, {"error": "not_found"})


setup()
server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
print(f"polling server on {PORT}", flush=True)
server.serve_forever()
