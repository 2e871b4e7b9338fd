#!/usr/bin/env bash
# Regenerates the TLS test certificates in tests/support/certs/ (committed; tests never generate).
#
#   ca.pem / ca-key.pem                   test CA (CA:TRUE)
#   localhost.pem / localhost-key.pem     CA-signed leaf, SAN DNS:localhost, IP:127.0.0.1, IP:::1
#   selfsigned.pem / selfsigned-key.pem   self-signed leaf with CA:FALSE (rustls accepts it as its own anchor)
#   selfsigned-ca.pem / -key.pem          self-signed with openssl's default CA:TRUE (rustls: CaUsedAsEndEntity)
#   wronghost.pem / wronghost-key.pem     CA-signed leaf for DNS:wrong.example only
#   expired.pem / expired-key.pem         CA-signed localhost leaf valid 2020-01-01 .. 2020-02-01
#   client.pem / client-key.pem           CA-signed client certificate (mutual TLS)
#   intermediate.pem / -key.pem           intermediate CA (CA:TRUE, pathlen 0) signed by ca.pem
#   chain.pem / chain-key.pem             localhost leaf signed by the intermediate, followed by the
#                                         intermediate: a server sending it needs ca.pem to be trusted
#                                         (OpenSSL without it: unable to get local issuer certificate)
#   chain-with-root.pem                   chain.pem followed by ca.pem (key: chain-key.pem); without
#                                         ca.pem trusted: self-signed certificate in certificate chain
#   notyetvalid.pem / -key.pem            CA-signed localhost leaf valid 2090-01-01 .. 2091-01-01
#
# Everything except the expired and the not-yet-valid leaves is valid for 7300 days from generation.
# Usage: tools/gen_test_certs.sh [out_dir]   (needs openssl >= 1.1.1)
set -euo pipefail

out=${1:-"$(cd "$(dirname "$0")/.." && pwd)/tests/support/certs"}
days=7300
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# The CA.
key ca-key.pem
openssl req -x509 -new -key ca-key.pem -days "$days" -subj "/O=netreply tests/CN=netreply test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out ca.pem

leaf_ext() { # $1 = subjectAltName
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' "$1"
}

# A CA-signed leaf: $1 = name, $2 = CN, $3 = subjectAltName.
signed_leaf() {
  key "$1-key.pem"
  openssl req -new -key "$1-key.pem" -subj "/O=netreply tests/CN=$2" -out "$1.csr"
  leaf_ext "$3" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days "$days" \
    -extfile "$1.ext" -out "$1.pem" 2>/dev/null
}

signed_leaf localhost localhost "DNS:localhost,IP:127.0.0.1,IP:::1"
signed_leaf wronghost wrong.example "DNS:wrong.example"

# Self-signed leaf with CA:FALSE.
key selfsigned-key.pem
openssl req -x509 -new -key selfsigned-key.pem -days "$days" -subj "/O=netreply tests/CN=localhost" \
  -addext "basicConstraints=critical,CA:FALSE" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
  -out selfsigned.pem

# Self-signed with openssl's default extensions (CA:TRUE), as `openssl req -x509` makes them.
key selfsigned-ca-key.pem
openssl req -x509 -new -key selfsigned-ca-key.pem -days "$days" -subj "/O=netreply tests/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" -out selfsigned-ca.pem

# Leaves with chosen validity dates: `openssl x509 -req` cannot pick them, `openssl ca` can.
mkdir -p ca_db/new && : >ca_db/index.txt && echo 1000 >ca_db/serial
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
$(leaf_ext "DNS:localhost,IP:127.0.0.1,IP:::1")
CNF
dated_leaf() { # $1 = name, $2 = start, $3 = end (YYYYMMDDHHMMSSZ)
  key "$1-key.pem"
  openssl req -new -key "$1-key.pem" -subj "/O=netreply tests/CN=localhost" -out "$1.csr"
  openssl ca -batch -config ca.cnf -extensions leaf -startdate "$2" -enddate "$3" \
    -in "$1.csr" -out "$1.pem" -notext 2>/dev/null
}
dated_leaf expired 20200101000000Z 20200201000000Z
dated_leaf notyetvalid 20900101000000Z 20910101000000Z

# An intermediate CA, a leaf under it, and the chains a server sends.
key intermediate-key.pem
openssl req -new -key intermediate-key.pem -subj "/O=netreply tests/CN=netreply test intermediate CA" \
  -out intermediate.csr
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' >intermediate.ext
openssl x509 -req -in intermediate.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days "$days" \
  -extfile intermediate.ext -out intermediate.pem 2>/dev/null
key chain-key.pem
openssl req -new -key chain-key.pem -subj "/O=netreply tests/CN=localhost" -out chain-leaf.csr
leaf_ext "DNS:localhost,IP:127.0.0.1,IP:::1" >chain-leaf.ext
openssl x509 -req -in chain-leaf.csr -CA intermediate.pem -CAkey intermediate-key.pem -CAcreateserial \
  -days "$days" -extfile chain-leaf.ext -out chain-leaf.pem 2>/dev/null
cat chain-leaf.pem intermediate.pem >chain.pem
cat chain.pem ca.pem >chain-with-root.pem
cp chain-with-root.pem "$out/"

# Client certificate for mutual TLS.
key client-key.pem
openssl req -new -key client-key.pem -subj "/O=netreply tests/CN=netreply client" -out client.csr
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' >client.ext
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days "$days" \
  -extfile client.ext -out client.pem 2>/dev/null

for name in ca localhost wronghost selfsigned selfsigned-ca expired notyetvalid client intermediate chain; do
  cp "$name.pem" "$name-key.pem" "$out/"
done
echo "Wrote test certificates to $out"
