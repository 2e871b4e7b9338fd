#!/usr/bin/env bash
# Makes the socket-transport certificates in this directory from the existing test CA (ca.pem,
# ca-key.pem; see tools/gen_test_certs.sh for those and the other certificates, which this script
# leaves alone). Committed; tests never generate.
#
#   intermediate.pem / -key.pem        intermediate CA (CA:TRUE, pathlen 0) signed by ca.pem
#   chain.pem / chain-key.pem          localhost leaf signed by the intermediate, followed by the
#                                      intermediate: a server sending it needs ca.pem to be trusted
#                                      (OpenSSL without it: unable to get local issuer certificate)
#   chain-with-root.pem                chain.pem followed by ca.pem (key: chain-key.pem); without
#                                      ca.pem trusted: self-signed certificate in certificate chain
#   notyetvalid.pem / -key.pem         ca.pem-signed localhost leaf valid 2090-01-01 .. 2091-01-01
#
# Usage: tests/support/certs/generate.sh   (needs openssl >= 1.1.1)
set -euo pipefail

out="$(cd "$(dirname "$0")" && pwd)"
days=7300
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
cp "$out/ca.pem" "$out/ca-key.pem" .

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
leaf_ext() {
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n'
}

# The intermediate CA.
key intermediate-key.pem
openssl req -new -key intermediate-key.pem -subj "/O=netreply tests/CN=netreply test intermediate CA" \
  -out intermediate.csr
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' >intermediate.ext
openssl x509 -req -in intermediate.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days "$days" \
  -extfile intermediate.ext -out intermediate.pem 2>/dev/null

# The leaf under the intermediate.
key chain-key.pem
openssl req -new -key chain-key.pem -subj "/O=netreply tests/CN=localhost" -out chain-leaf.csr
leaf_ext >leaf.ext
openssl x509 -req -in chain-leaf.csr -CA intermediate.pem -CAkey intermediate-key.pem -CAcreateserial \
  -days "$days" -extfile leaf.ext -out chain-leaf.pem 2>/dev/null
cat chain-leaf.pem intermediate.pem >chain.pem
cat chain.pem ca.pem >chain-with-root.pem

# A leaf that is not valid yet: `openssl x509 -req` cannot pick the start date, `openssl ca` can.
mkdir -p ca_db/new && : >ca_db/index.txt && echo 2000 >ca_db/serial
cat >ca.cnf <<CNF
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = ca_db
database = ca_db/index.txt
new_certs_dir = ca_db/new
serial = ca_db/serial
certificate = ca.pem
private_key = ca-key.pem
default_md = sha256
policy = any
copy_extensions = none
unique_subject = no
[ any ]
organizationName = optional
commonName = supplied
[ leaf ]
$(leaf_ext)
CNF
key notyetvalid-key.pem
openssl req -new -key notyetvalid-key.pem -subj "/O=netreply tests/CN=localhost" -out notyetvalid.csr
openssl ca -batch -config ca.cnf -extensions leaf -startdate 20900101000000Z -enddate 20910101000000Z \
  -in notyetvalid.csr -out notyetvalid.full.pem 2>/dev/null
openssl x509 -in notyetvalid.full.pem -out notyetvalid.pem

cp intermediate.pem intermediate-key.pem chain.pem chain-key.pem chain-with-root.pem \
  notyetvalid.pem notyetvalid-key.pem "$out/"
