#!/bin/sh
# Builds the test PKI into $1 (default ./pki) with the openssl command-line
# tool: a CA, server certificates (RSA, ECDSA, Ed25519, an alternate name for
# SNI), client certificates (good, unknown CA, revoked), a CRL, encrypted
# keys in both formats, DER copies, a chain, DH parameters and OCSP
# responses. Idempotent: does nothing if the directory is complete and of
# this version; a PKI of an older version (an older .complete) is rebuilt.
set -eu
out=${1:-pki}
version=3
[ "$(cat "$out/.complete" 2>/dev/null)" = "$version" ] && exit 0
# Only a directory this script made (it has the marker) is wiped.
[ -f "$out/.complete" ] && rm -rf "$out"
mkdir -p "$out"
cd "$out"
days=3650
ossl() { openssl "$@" 2>/dev/null; }

cat > ca.cnf <<'CNF'
[ca]
default_ca = testca
[testca]
dir = .
database = index.txt
new_certs_dir = .
serial = serial
crlnumber = crlnumber
default_md = sha256
policy = any
default_crl_days = 3650
unique_subject = no
[any]
commonName = supplied
[v3_ca]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[v3_server]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1,IP:::1
[v3_alt]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:alt.test
[v3_client]
basicConstraints = CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
[v3_client_names]
basicConstraints = CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:client.example,email:client@example.com,IP:127.0.0.1
[v3_client_other]
basicConstraints = CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:other.example,email:other@example.com,IP:10.9.9.9
[v3_client_serverauth]
basicConstraints = CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:client.example
[v3_client_policy]
basicConstraints = CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
certificatePolicies = 1.2.3.4
[v3_client_critical]
basicConstraints = CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
1.2.3.4.5.6 = critical,ASN1:UTF8String:polytls
[v3_ocsp]
basicConstraints = CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = OCSPSigning
CNF
: > index.txt
echo 1000 > serial
echo 1000 > crlnumber

ca() { # ca NAME KEYFILE EXT CN [CA-prefix]
  ossl req -new -key "$2" -subj "/CN=$4" -out "$1.csr"
  ossl x509 -req -in "$1.csr" -CA "${5:-ca}.pem" -CAkey "${5:-ca}.key" -CAcreateserial -days $days \
    -extfile ca.cnf -extensions "$3" -out "$1.pem" -sha256
}

# Certificate authorities: the trusted one and one nobody trusts.
for c in ca unknownca; do
  ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out $c.key
  ossl req -x509 -new -key $c.key -subj "/CN=polytls test $c" -days $days -sha256 \
    -config ca.cnf -extensions v3_ca -out $c.pem
done

ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out server-rsa.key
ca server-rsa server-rsa.key v3_server localhost
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out server-ecdsa.key
ca server-ecdsa server-ecdsa.key v3_server localhost
ossl genpkey -algorithm ED25519 -out server-ed25519.key
ca server-ed25519 server-ed25519.key v3_server localhost
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out alt.key
ca alt alt.key v3_alt alt.test

ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out client.key
ca client client.key v3_client client
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out revoked.key
ca revoked revoked.key v3_client revoked
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out stranger.key
ca stranger stranger.key v3_client stranger unknownca

# Revocation: revoke one client, publish the CRL (PEM and DER).
openssl ca -config ca.cnf -keyfile ca.key -cert ca.pem -revoke revoked.pem >/dev/null 2>&1 || {
  # `openssl ca -revoke` needs the certificate in the database; add it.
  serial=$(openssl x509 -in revoked.pem -noout -serial | cut -d= -f2)
  enddate=$(openssl x509 -in revoked.pem -noout -enddate | cut -d= -f2)
  printf 'R\t%s\t%s\t%s\tunknown\t/CN=revoked\n' \
    "$(date -u -d "$enddate" +%y%m%d%H%M%SZ)" "$(date -u +%y%m%d%H%M%SZ)" "$serial" >> index.txt
}
ossl ca -config ca.cnf -keyfile ca.key -cert ca.pem -gencrl -out crl.pem
ossl crl -in crl.pem -outform DER -out crl.der

# Encrypted keys: traditional PEM (Proc-Type) and OpenSSL 3's default PKCS#8.
ossl rsa -in server-rsa.key -aes256 -traditional -passout pass:secret -out server-rsa-trad-enc.key
ossl pkcs8 -topk8 -in server-rsa.key -v2 aes256 -passout pass:secret -out server-rsa-pkcs8-enc.key
# A pass phrase no output could contain by accident (the secrets test).
ossl rsa -in server-rsa.key -aes256 -traditional -passout pass:pt-Pw-7c1a9 -out server-rsa-unique-enc.key
# DER copies.
ossl x509 -in server-rsa.pem -outform DER -out server-rsa.der
ossl pkey -in server-rsa.key -outform DER -out server-rsa-key.der
# A chain: an intermediate CA that signs a server certificate.
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out inter.key
ossl req -new -key inter.key -subj "/CN=polytls test intermediate" -out inter.csr
ossl x509 -req -in inter.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days $days -extfile ca.cnf \
  -extensions v3_ca -out inter.pem -sha256
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out leaf.key
ca leaf leaf.key v3_server localhost inter
cat leaf.pem inter.pem > leaf-chain.pem
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out client-inter.key
ca client-inter client-inter.key v3_client client-inter inter
cat client-inter.pem inter.pem > client-inter-chain.pem
cp client-inter.key client-inter-chain.key
# Both client CAs in one directory, hashed for -CApath.
mkdir -p capath
cp ca.pem capath/ && openssl rehash capath 2>/dev/null || c_rehash capath >/dev/null 2>&1
# Combined cert+key file (s_server's default server.pem layout).
cat server-rsa.pem server-rsa.key > server-combined.pem
# DH parameters (RFC 7919 ffdhe2048, no generation delay).
ossl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 -out dh.pem
# OCSP: a responder certificate and a "good" response for server-rsa.
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ocsp.key
ca ocsp ocsp.key v3_ocsp "polytls test OCSP"
serial=$(openssl x509 -in server-rsa.pem -noout -serial | cut -d= -f2)
enddate=$(openssl x509 -in server-rsa.pem -noout -enddate | cut -d= -f2)
printf 'V\t%s\t\t%s\tunknown\t/CN=localhost\n' "$(date -u -d "$enddate" +%y%m%d%H%M%SZ)" "$serial" >> index.txt
ossl ocsp -issuer ca.pem -cert server-rsa.pem -reqout ocsp-req.der -no_nonce
ossl ocsp -index index.txt -rsigner ocsp.pem -rkey ocsp.key -CA ca.pem -reqin ocsp-req.der \
  -respout ocsp-good.der -ndays 3650
# Responses a validating library (wolfSSL) must not staple, or staples with
# another status: revoked, about another certificate (alt.pem), and signed
# by a responder the trusted CA did not issue.
enddate_r=$(date -u -d "$enddate" +%y%m%d%H%M%SZ)
printf 'R\t%s\t250101000000Z,keyCompromise\t%s\tunknown\t/CN=localhost\n' "$enddate_r" "$serial" > index-revoked.txt
ossl ocsp -index index-revoked.txt -rsigner ocsp.pem -rkey ocsp.key -CA ca.pem -reqin ocsp-req.der \
  -respout ocsp-revoked.der -ndays 3650
alt_serial=$(openssl x509 -in alt.pem -noout -serial | cut -d= -f2)
printf 'V\t%s\t\t%s\tunknown\t/CN=alt.test\n' "$enddate_r" "$alt_serial" > index-alt.txt
ossl ocsp -issuer ca.pem -cert alt.pem -reqout ocsp-req-alt.der -no_nonce
ossl ocsp -index index-alt.txt -rsigner ocsp.pem -rkey ocsp.key -CA ca.pem -reqin ocsp-req-alt.der \
  -respout ocsp-other-cert.der -ndays 3650
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ocsp-rogue.key
ca ocsp-rogue ocsp-rogue.key v3_ocsp "polytls rogue OCSP" unknownca
printf 'V\t%s\t\t%s\tunknown\t/CN=localhost\n' "$enddate_r" "$serial" > index-good.txt
ossl ocsp -index index-good.txt -rsigner ocsp-rogue.pem -rkey ocsp-rogue.key -CA ca.pem -reqin ocsp-req.der \
  -respout ocsp-untrusted.der -ndays 3650
# An expired server certificate (valid in 2020 only), through `openssl ca`
# so that the dates can be in the past.
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out expired.key
ossl req -new -key expired.key -subj "/CN=localhost" -out expired.csr
ossl ca -batch -config ca.cnf -keyfile ca.key -cert ca.pem -in expired.csr -out expired.pem -notext \
  -startdate 20200101000000Z -enddate 20201231000000Z -extensions v3_server
# Client certificates for the verification policy options (version 3):
# names in the subjectAltName (-verify_hostname/-verify_email/-verify_ip),
# serverAuth only (-purpose), a certificate policy (-policy), an unknown
# critical extension (-ignore_critical), expired (-attime, -no_check_time).
for c in client-names client-other client-serverauth client-policy client-critical; do
  ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out $c.key
  ca $c $c.key "v3_$(echo $c | tr - _)" $c
done
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out client-expired.key
ossl req -new -key client-expired.key -subj "/CN=client-expired" -out client-expired.csr
ossl ca -batch -config ca.cnf -keyfile ca.key -cert ca.pem -in client-expired.csr -out client-expired.pem \
  -notext -startdate 20200101000000Z -enddate 20201231000000Z -extensions v3_client
# Garbage and mismatched inputs for error-path tests.
printf 'this is not a certificate\n' > garbage.pem
rm -f ./*.csr
echo "$version" > .complete
