#!/usr/bin/env python3
"""Stands in for systemd's NOTIFY_SOCKET in tests.

Binds an AF_UNIX datagram socket at argv[1] (a leading '@' means an abstract
address), then prints one JSON line per datagram: the sender's pid (from
SCM_CREDENTIALS), the message, and when it arrived (milliseconds on the
monotonic clock, read at once, so that intervals are the sender's). File descriptors that come with a message are
closed at once: systemd-notify sends BARRIER=1 with a pipe and waits until the
service manager has closed it.
"""
import json
import os
import socket
import struct
import sys
import time

address = sys.argv[1]
bind_to = '\0' + address[1:] if address.startswith('@') else address
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
sock.bind(bind_to)
print(json.dumps({'listening': address}), flush=True)
while True:
    data, ancillary, _flags, _addr = sock.recvmsg(65536, socket.CMSG_SPACE(12) + socket.CMSG_SPACE(4 * 16))
    at = time.monotonic() * 1000
    pid = None
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
            pid = struct.unpack('iII', payload[:12])[0]
        elif level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            for fd in struct.unpack('%di' % (len(payload) // 4), payload):
                os.close(fd)
    print(json.dumps({'pid': pid, 'message': data.decode(errors='replace'), 'at': at}), flush=True)
