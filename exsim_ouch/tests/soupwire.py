"""A SoupBinTCP test client written from the specification alone (PROTOCOLS.md 1),
sharing no code with exsim_ouch: packets are built and read field by field."""

from __future__ import annotations

import struct

import anyio
import anyio.abc

TIMEOUT = 5.0


def packet(ptype: bytes, payload: bytes = b"") -> bytes:
    """One SoupBinTCP packet: U16 length (type + payload), type, payload."""
    return struct.pack(">H", 1 + len(payload)) + ptype + payload


def login_request(
    username: str,
    password: str,
    session: str = "",
    sequence: int = 1,
    *,
    numbers_left: bool = False,
    timeout_ms: int | None = None,
) -> bytes:
    """Login Request 'L': alpha fields left-justified; the sequence number
    right-justified (spec) or left-justified (as some clients send it)."""
    seq = str(sequence).encode()
    body = (
        username.encode().ljust(6)
        + password.encode().ljust(10)
        + session.encode().ljust(10)
        + (seq.ljust(20) if numbers_left else seq.rjust(20))
    )
    if timeout_ms is not None:
        body += str(timeout_ms).encode().rjust(5)
    return packet(b"L", body)


class SoupClient:
    """A raw SoupBinTCP client over a TCP stream."""

    def __init__(self, stream: anyio.abc.SocketStream) -> None:
        self.stream = stream
        self.buf = b""

    @classmethod
    async def connect(cls, port: int) -> SoupClient:
        return cls(await anyio.connect_tcp("127.0.0.1", port))

    async def send(self, data: bytes) -> None:
        await self.stream.send(data)

    async def login(
        self, username: str, password: str, session: str = "", sequence: int = 1
    ) -> tuple[str, int]:
        """Log in; return (session, next sequence number) from Login Accepted."""
        await self.send(login_request(username, password, session, sequence))
        ptype, payload = await self.receive()
        assert ptype == b"A", (ptype, payload)
        return payload[:10].decode().strip(), int(payload[10:30])

    async def send_unsequenced(self, message: bytes) -> None:
        await self.send(packet(b"U", message))

    async def receive(self, timeout: float = TIMEOUT) -> tuple[bytes, bytes]:
        """The next packet as (type, payload); raises EOFError when the server closed."""
        with anyio.fail_after(timeout):
            while True:
                if len(self.buf) >= 2:
                    (length,) = struct.unpack(">H", self.buf[:2])
                    if len(self.buf) >= 2 + length:
                        ptype = self.buf[2:3]
                        payload = self.buf[3 : 2 + length]
                        self.buf = self.buf[2 + length :]
                        return ptype, payload
                try:
                    self.buf += await self.stream.receive()
                except (anyio.EndOfStream, anyio.BrokenResourceError):
                    raise EOFError("server closed the connection") from None

    async def sequenced(self, timeout: float = TIMEOUT) -> bytes:
        """The next Sequenced Data message, skipping heartbeats and debug packets."""
        while True:
            ptype, payload = await self.receive(timeout)
            if ptype == b"S":
                return payload
            assert ptype in (b"H", b"+"), (ptype, payload)

    async def closed(self, timeout: float = TIMEOUT) -> list[tuple[bytes, bytes]]:
        """Read until the server closes; return the packets received on the way."""
        got = []
        try:
            while True:
                got.append(await self.receive(timeout))
        except EOFError:
            return got

    async def login_still_open(self) -> bool:
        """True when the server still answers: a message it answers with a Debug packet
        (an unknown OUCH type) gets its answer."""
        await self.send(packet(b"U", b"?"))
        try:
            while (await self.receive())[0] != b"+":
                pass
        except EOFError:
            return False
        return True

    async def aclose(self) -> None:
        await self.stream.aclose()
