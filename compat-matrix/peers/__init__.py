"""Peer adapters: one file per client stack."""
from .openssl_s_client import OpenSSLPeer
from .gnutls_cli import GnuTLSPeer
from .nss_tstclnt import NSSPeer
from .botan_cli import BotanPeer
from .java_jsse import JavaPeer
from .go_tls import GoPeer
from .python_ssl import PythonPeer
from .curl_cli import CurlPeer
from .node_tls import NodePeer
from .wget_cli import WgetPeer

ALL = [OpenSSLPeer(), GnuTLSPeer(), NSSPeer(), BotanPeer(), JavaPeer(), GoPeer(), PythonPeer(), CurlPeer(),
       NodePeer(), WgetPeer()]
BY_NAME = {p.name: p for p in ALL}
