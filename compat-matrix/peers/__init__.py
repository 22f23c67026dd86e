"""Peer adapters: one file per client stack."""
from .openssl_s_client import OpenSSLPeer, OpenSSL35Peer, OpenSSL40Peer
from .gnutls_cli import GnuTLSPeer
from .nss_tstclnt import NSSPeer
from .botan_cli import BotanPeer
from .java_jsse import JavaPeer
from .go_tls import GoPeer
from .python_ssl import PythonPeer
from .curl_cli import CurlPeer
from .node_tls import NodePeer
from .wget_cli import WgetPeer
from .bssl_client import BoringSSLPeer
from .chromium_cdp import ChromiumPeer
from .erlang_ssl import ErlangPeer
from .wolfssl_client import WolfSSLPeer
from .mbedtls_client2 import MbedTLSPeer

ALL = [OpenSSLPeer(), GnuTLSPeer(), NSSPeer(), BotanPeer(), JavaPeer(), GoPeer(), PythonPeer(), CurlPeer(),
       NodePeer(), WgetPeer(), OpenSSL35Peer(), OpenSSL40Peer(), BoringSSLPeer(), ChromiumPeer(), ErlangPeer(),
       WolfSSLPeer(), MbedTLSPeer()]
BY_NAME = {p.name: p for p in ALL}
