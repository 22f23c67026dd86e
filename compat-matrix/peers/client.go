// compat-matrix peer: Go crypto/tls client (single file, standard library only:
// `go run client.go -port N ...`). Prints `HANDSHAKE version=..<TAB>cipher=..<TAB>alpn=..<TAB>
// resumed=..<TAB>peer_cn=..` per connection, then what it received.
package main

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"time"
)

func main() {
	host := flag.String("host", "127.0.0.1", "")
	port := flag.Int("port", 0, "")
	version := flag.String("version", "", "1.2 or 1.3")
	cipher := flag.String("cipher", "", "IANA name (TLS 1.2 only)")
	group := flag.String("group", "", "X25519, P-256, P-384, P-521")
	alpn := flag.String("alpn", "", "")
	sni := flag.String("sni", "", "")
	cert := flag.String("cert", "", "")
	key := flag.String("key", "", "")
	resume := flag.Bool("resume", false, "")
	path := flag.String("path", "/", "")
	until := flag.String("until", "", "")
	reneg := flag.Bool("reneg", false, "accept one server renegotiation")
	ocsp := flag.Bool("ocsp", false, "report the stapled OCSP response (crypto/tls always asks for one)")
	printVersion := flag.Bool("print-version", false, "")
	listSuites := flag.Bool("list-suites", false, "")
	flag.Parse()
	if *printVersion {
		fmt.Printf("Go crypto/tls %s\n", runtime.Version())
		return
	}
	if *listSuites {
		for _, c := range tls.CipherSuites() {
			fmt.Println(c.Name)
		}
		for _, c := range tls.InsecureCipherSuites() {
			fmt.Println(c.Name)
		}
		return
	}
	cfg := &tls.Config{InsecureSkipVerify: true, ServerName: *sni}
	switch *version {
	case "1.2":
		cfg.MinVersion, cfg.MaxVersion = tls.VersionTLS12, tls.VersionTLS12
	case "1.3":
		cfg.MinVersion, cfg.MaxVersion = tls.VersionTLS13, tls.VersionTLS13
	}
	if *cipher != "" {
		all := append(tls.CipherSuites(), tls.InsecureCipherSuites()...)
		for _, c := range all {
			if c.Name == *cipher {
				cfg.CipherSuites = []uint16{c.ID}
			}
		}
	}
	if *group != "" {
		m := map[string]tls.CurveID{"X25519": tls.X25519, "P-256": tls.CurveP256, "P-384": tls.CurveP384, "P-521": tls.CurveP521}
		cfg.CurvePreferences = []tls.CurveID{m[*group]}
	}
	if *alpn != "" {
		cfg.NextProtos = strings.Split(*alpn, ",")
	}
	if *cert != "" {
		c, err := tls.LoadX509KeyPair(*cert, *key)
		if err != nil {
			fmt.Println("ERROR", err)
			os.Exit(2)
		}
		cfg.Certificates = []tls.Certificate{c}
	}
	if *resume {
		cfg.ClientSessionCache = tls.NewLRUClientSessionCache(8)
	}
	if *reneg {
		cfg.Renegotiation = tls.RenegotiateOnceAsClient
	}
	n := 1
	if *resume {
		n = 2
	}
	rc := 0
	for i := 0; i < n; i++ {
		raw, err := net.DialTimeout("tcp", fmt.Sprintf("%s:%d", *host, *port), 10*time.Second)
		if err != nil {
			fmt.Println("ERROR", err)
			os.Exit(1)
		}
		raw.SetDeadline(time.Now().Add(15 * time.Second))
		c := tls.Client(raw, cfg)
		if err := c.Handshake(); err != nil {
			fmt.Println("ERROR handshake:", err)
			os.Exit(1)
		}
		st := c.ConnectionState()
		cn := ""
		if len(st.PeerCertificates) > 0 {
			cn = st.PeerCertificates[0].Subject.String()
		}
		staple := ""
		if *ocsp {
			staple = "\tocsp=none"
			if len(st.OCSPResponse) > 0 {
				staple = fmt.Sprintf("\tocsp=%x", sha256.Sum256(st.OCSPResponse))
			}
		}
		fmt.Printf("HANDSHAKE version=%s\tcipher=%s\talpn=%s\tresumed=%v\tpeer_cn=%s%s\n",
			map[uint16]string{tls.VersionTLS12: "TLSv1.2", tls.VersionTLS13: "TLSv1.3", tls.VersionTLS11: "TLSv1.1", tls.VersionTLS10: "TLSv1"}[st.Version],
			tls.CipherSuiteName(st.CipherSuite), st.NegotiatedProtocol, st.DidResume, cn, staple)
		var got bytes.Buffer
		buf := make([]byte, 16384)
		if *until != "" {
			c.Write([]byte("hello from go\n"))
			for !strings.Contains(got.String(), *until) {
				r, err := c.Read(buf)
				got.Write(buf[:r])
				if err != nil {
					fmt.Println("ERROR read:", err)
					rc = 1
					break
				}
			}
		} else {
			c.Write([]byte("GET " + *path + " HTTP/1.0\r\n\r\n"))
			for {
				r, err := c.Read(buf)
				got.Write(buf[:r])
				if err == io.EOF {
					break
				}
				if err != nil {
					fmt.Println("ERROR read:", err)
					rc = 1
					break
				}
			}
		}
		os.Stdout.Write(got.Bytes())
		c.Close()
	}
	os.Exit(rc)
}
