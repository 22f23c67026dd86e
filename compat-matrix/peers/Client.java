// compat-matrix peer: Java JSSE TLS client (single file: `java Client.java --port N ...`).
// Prints `HANDSHAKE version=..<TAB>cipher=..<TAB>alpn=..<TAB>resumed=unknown<TAB>peer_cn=..` per
// connection, then what it received. Group: -Djdk.tls.namedGroups=...
import java.io.*;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.*;
import javax.net.ssl.*;

public class Client {
    // The stapled OCSP response (SHA-256 of its bytes), or "none". JSSE asks for one only with
    // -Djdk.tls.client.enableStatusRequestExtension=true (java_jsse.py adds it).
    static String staple(SSLSession ss) throws Exception {
        if (!(ss instanceof ExtendedSSLSession)) return "none";
        List<byte[]> rs = ((ExtendedSSLSession) ss).getStatusResponses();
        if (rs == null || rs.isEmpty() || rs.get(0).length == 0) return "none";
        StringBuilder h = new StringBuilder();
        for (byte b : java.security.MessageDigest.getInstance("SHA-256").digest(rs.get(0))) h.append(String.format("%02x", b));
        return h.toString();
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String k = argv[i];
            if (k.equals("--resume") || k.equals("--print-version") || k.equals("--list-suites") || k.equals("--ocsp"))
                a.put(k, "1");
            else a.put(k, argv[++i]);
        }
        if (a.containsKey("--print-version")) {
            System.out.println("Java JSSE " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
            return;
        }
        TrustManager[] trustAll = {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String t) {}
            public void checkServerTrusted(X509Certificate[] c, String t) {}
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }};
        KeyManager[] kms = null;
        if (a.containsKey("--p12")) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = new FileInputStream(a.get("--p12"))) { ks.load(in, "pass".toCharArray()); }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "pass".toCharArray());
            kms = kmf.getKeyManagers();
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kms, trustAll, null);
        if (a.containsKey("--list-suites")) {
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
            for (String c : s.getSupportedCipherSuites()) System.out.println(c);
            return;
        }
        int port = Integer.parseInt(a.get("--port"));
        String host = a.getOrDefault("--host", "127.0.0.1");
        int rc = 0;
        int n = a.containsKey("--resume") ? 2 : 1;
        byte[] lastId = null;
        for (int i = 0; i < n; i++) {
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(host, port);
            s.setSoTimeout(15000);
            SSLParameters p = s.getSSLParameters();
            if (a.containsKey("--version")) p.setProtocols(new String[] {"TLSv" + a.get("--version")});
            if (a.containsKey("--cipher")) p.setCipherSuites(new String[] {a.get("--cipher")});
            if (a.containsKey("--alpn")) p.setApplicationProtocols(a.get("--alpn").split(","));
            if (a.containsKey("--sni")) p.setServerNames(List.of(new SNIHostName(a.get("--sni"))));
            s.setSSLParameters(p);
            s.startHandshake();
            SSLSession ss = s.getSession();
            String cn = "";
            try {
                cn = ((X509Certificate) ss.getPeerCertificates()[0]).getSubjectX500Principal().getName();
            } catch (Exception e) { }
            System.out.println("HANDSHAKE version=" + ss.getProtocol() + "\tcipher=" + ss.getCipherSuite()
                + "\talpn=" + (s.getApplicationProtocol() == null ? "" : s.getApplicationProtocol())
                + "\tresumed=unknown\tpeer_cn=" + cn + (a.containsKey("--ocsp") ? "\tocsp=" + staple(ss) : ""));
            System.out.flush();
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[16384];
            String until = a.get("--until");
            if (until != null) out.write("hello from java\n".getBytes());
            else out.write(("GET " + a.getOrDefault("--path", "/") + " HTTP/1.0\r\n\r\n").getBytes());
            out.flush();
            try {
                while (true) {
                    int r = in.read(buf);
                    if (r < 0) { if (until != null) rc = 1; break; }
                    got.write(buf, 0, r);
                    if (until != null && got.toString("UTF-8").contains(until)) break;
                }
            } catch (SSLException e) {
                System.out.println("ERROR " + e);
                rc = 1;
            }
            System.out.print(got.toString("UTF-8"));
            System.out.flush();
            s.close();
        }
        System.exit(rc);
    }
}
