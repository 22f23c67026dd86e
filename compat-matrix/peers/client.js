// compat-matrix peer: Node.js tls client (single file: `node client.js --port N ...`).
// Prints `HANDSHAKE version=..<TAB>cipher=..<TAB>alpn=..<TAB>resumed=..<TAB>peer_cn=..` per
// connection, then what it received.
'use strict';
const tls = require('tls');
const fs = require('fs');
const crypto = require('crypto');
const a = {};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const k = argv[i].replace(/^--/, '');
  if (['resume', 'print-version', 'ocsp'].includes(k)) a[k] = true; else a[k] = argv[++i];
}
if (a['print-version']) {
  console.log(`Node.js ${process.version} tls (OpenSSL ${process.versions.openssl})`);
  process.exit(0);
}
const n = a.resume ? 2 : 1;
let session;
let rc = 0;
function one(i) {
  const opts = { host: a.host || '127.0.0.1', port: +a.port, rejectUnauthorized: false, session };
  if (a.version) { opts.minVersion = 'TLSv' + a.version; opts.maxVersion = 'TLSv' + a.version; }
  if (a.cipher) opts.ciphers = a.cipher;
  if (a.group) opts.ecdhCurve = a.group;
  if (a.alpn) opts.ALPNProtocols = a.alpn.split(',');
  if (a.sni) opts.servername = a.sni;
  if (a.cert) { opts.cert = fs.readFileSync(a.cert); opts.key = fs.readFileSync(a.key); }
  if (a['psk-id']) {
    opts.pskCallback = () => ({ identity: a['psk-id'], psk: Buffer.from(a.psk, 'hex') });
    opts.checkServerIdentity = () => undefined;
  }
  if (a.ocsp) opts.requestOCSP = true;
  let staple = null; // the 'OCSPResponse' event comes before the secureConnect callback
  const s = tls.connect(opts, () => {
    const c = s.getCipher();
    const pc = s.getPeerCertificate();
    const cn = pc && pc.subject ? 'CN=' + pc.subject.CN : '';
    console.log(`HANDSHAKE version=${s.getProtocol()}\tcipher=${c.standardName || c.name}\talpn=${s.alpnProtocol || ''}\tresumed=${s.isSessionReused()}\tpeer_cn=${cn}${a.ocsp ? '\tocsp=' + (staple ? crypto.createHash('sha256').update(staple).digest('hex') : 'none') : ''}`);
    s.write(a.until ? 'hello from node\n' : `GET ${a.path || '/'} HTTP/1.0\r\n\r\n`);
  });
  s.setTimeout(15000, () => { console.log('ERROR timeout'); rc = 1; s.destroy(); });
  s.on('session', (sess) => { session = sess; });
  s.on('OCSPResponse', (r) => { staple = r && r.length ? r : null; });
  let got = '';
  s.on('data', (d) => {
    got += d.toString();
    if (a.until && got.includes(a.until)) s.end();
  });
  s.on('error', (e) => { console.log('ERROR ' + e.message); rc = 1; });
  s.on('close', () => {
    process.stdout.write(got);
    if (a.until && !got.includes(a.until)) rc = 1;
    if (i + 1 < n && rc === 0) one(i + 1); else process.exitCode = rc;
  });
}
one(0);
