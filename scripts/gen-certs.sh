#!/usr/bin/env bash
# Makes a private CA and a server certificate for the local endpoint (taskledger-mock):
#   gen-certs.sh DIR [HOSTNAME...]
# writes DIR/ca.pem, DIR/ca.key, DIR/server.pem, DIR/server.key (EC P-256). The server
# certificate names 127.0.0.1, localhost and every HOSTNAME given, e.g.
#   gen-certs.sh /tmp/certs clb.ap-guangzhou.tencentcloudapi.com clb.ap-shanghai.tencentcloudapi.com
# so a client can reach the endpoint under the real host names (taskledger run --resolve).
# Idempotent: files that already cover every name are kept. Never commit the output.
# (Tests make the same files in-process: taskledger::mock::generateTestCertificates.)
set -euo pipefail

if [[ $# -lt 1 || "$1" == "-h" || "$1" == "--help" ]]; then
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
  [[ $# -lt 1 ]] && exit 2 || exit 0
fi

dir=$1
shift
hosts=(localhost "$@")
mkdir -p "$dir"
cd "$dir"

covers_all() {
  [[ -s ca.pem && -s ca.key && -s server.pem && -s server.key ]] || return 1
  openssl verify -CAfile ca.pem server.pem >/dev/null 2>&1 || return 1
  openssl x509 -in server.pem -noout -checkend 86400 >/dev/null 2>&1 || return 1
  openssl x509 -in server.pem -noout -checkip 127.0.0.1 2>/dev/null | grep -q 'does match' || return 1
  local h
  for h in "${hosts[@]}"; do
    openssl x509 -in server.pem -noout -checkhost "$h" 2>/dev/null | grep -q 'does match' || return 1
  done
}

covers_all && exit 0

umask 077
if ! { [[ -s ca.pem && -s ca.key ]] && openssl x509 -in ca.pem -noout -checkend 86400 >/dev/null 2>&1; }; then
  openssl ecparam -name prime256v1 -genkey -noout -out ca.key.tmp 2>/dev/null
  openssl req -x509 -new -key ca.key.tmp -sha256 -days 30 -subj "/O=taskledger tests/CN=taskledger test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out ca.pem.tmp 2>/dev/null
  mv ca.key.tmp ca.key
  mv ca.pem.tmp ca.pem
fi

san="IP:127.0.0.1"
for h in "${hosts[@]}"; do san+=",DNS:$h"; done
openssl ecparam -name prime256v1 -genkey -noout -out server.key.tmp 2>/dev/null
openssl req -new -key server.key.tmp -subj "/O=taskledger tests/CN=localhost" -out server.csr.tmp 2>/dev/null
cat >server.ext.tmp <<EOF
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=$san
EOF
openssl x509 -req -in server.csr.tmp -CA ca.pem -CAkey ca.key -CAcreateserial -CAserial server.srl.tmp \
  -days 30 -sha256 -extfile server.ext.tmp -out server.pem.tmp 2>/dev/null
rm -f server.csr.tmp server.ext.tmp server.srl.tmp
mv server.key.tmp server.key
mv server.pem.tmp server.pem
chmod 644 ca.pem server.pem
