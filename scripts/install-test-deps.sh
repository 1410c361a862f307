#!/usr/bin/env bash
# Installs everything demarc's tests talk to, on Debian (as root): the real InfluxDB 1.x,
# net-snmp's snmpd and tools, snmpsim, Prometheus' snmp_exporter, Chromium and poppler
# (pdftotext/pdftoppm for report checks), OpenLDAP slapd (directory login), nats-server
# (JetStream, for remote collectors); then the npm
# packages and the web build.
# Nothing is started here: each test starts its own service on a loopback port.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(influxdb influxdb-client snmpd snmp snmpsim prometheus-snmp-exporter chromium poppler-utils slapd ldap-utils nats-server)
missing=()
for p in "${packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
npm run build:web
