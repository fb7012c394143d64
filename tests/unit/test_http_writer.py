"""The server's socket writer sends every byte, in order, without cheroot's
copies (nova_core.cmd.httpserver._SocketWriter)."""

import os
import socket
import threading

from nova_core.cmd import httpserver


def _drain(sock, out):
    while True:
        data = sock.recv(1 << 20)
        if not data:
            return
        out.append(data)


def test_large_and_small_chunks_arrive_whole_and_in_order():
    left, right = socket.socketpair()
    received = []
    reader = threading.Thread(target=_drain, args=(right, received))
    reader.start()
    big = os.urandom(7 * 1024 * 1024 + 13)  # far more than a socket buffer
    chunks = [b'HTTP/1.1 200 OK\r\n\r\n', big, bytearray(b'tail'),
              memoryview(b'-end')]
    writer = httpserver._make_file(left, 'wb')
    assert isinstance(writer, httpserver._SocketWriter)
    for chunk in chunks:
        assert writer.write(chunk) == len(bytes(chunk))
    writer.close()
    left.close()
    reader.join(30)
    right.close()
    assert b''.join(received) == b''.join(bytes(c) for c in chunks)
    assert writer.bytes_written == sum(len(bytes(c)) for c in chunks)


def test_text_is_refused():
    left, right = socket.socketpair()
    try:
        writer = httpserver._make_file(left, 'wb')
        try:
            writer.write('text')
        except TypeError:
            pass
        else:
            raise AssertionError('str accepted')
    finally:
        left.close()
        right.close()
