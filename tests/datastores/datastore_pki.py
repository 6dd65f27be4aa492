"""A throw-away PKI for the TLS tests: a CA, a server certificate for 127.0.0.1, a
second certificate from the same CA for another name only (the host-name check must
refuse it at 127.0.0.1), and a second, unrelated CA that must be refused. Made with `cryptography` (a moto dependency)."""

from __future__ import annotations

import datetime
import ipaddress
from dataclasses import dataclass, replace
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class Pki:
    ca: Path  # the CA the server certificate chains to
    wrong_ca: Path  # an unrelated CA
    cert: Path  # server certificate (SAN: IP 127.0.0.1, DNS localhost)
    key: Path  # server key (never leaves the temp dir)
    # Same CA, valid and unexpired, but issued to OTHER_NAME only: what a client that
    # skips the host-name check would accept from an impostor inside the VPC.
    other_name_cert: Path
    other_name_key: Path

    def other_name(self) -> Pki:
        """This PKI with the wrong-name certificate as the server's."""
        return replace(self, cert=self.other_name_cert, key=self.other_name_key)


OTHER_NAME = "elsewhere.eks-test.internal"


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _ca(common_name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _server(
    ca_key: ec.EllipticCurvePrivateKey,
    ca_cert: x509.Certificate,
    common_name: str,
    names: list[x509.GeneralName],
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(names),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


def make_pki(folder: Path) -> Pki:
    folder.mkdir(parents=True, exist_ok=True)
    ca_key, ca_cert = _ca("tutor-eks test CA")
    _, wrong_cert = _ca("unrelated test CA")
    key, cert = _server(
        ca_key,
        ca_cert,
        "127.0.0.1",
        [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")],
    )
    other_key, other_cert = _server(ca_key, ca_cert, OTHER_NAME, [x509.DNSName(OTHER_NAME)])
    pki = Pki(
        folder / "ca.pem",
        folder / "wrong-ca.pem",
        folder / "server.pem",
        folder / "server.key",
        folder / "other-name.pem",
        folder / "other-name.key",
    )
    pki.ca.write_bytes(_pem(ca_cert))
    pki.wrong_ca.write_bytes(_pem(wrong_cert))
    pki.cert.write_bytes(_pem(cert))
    pki.other_name_cert.write_bytes(_pem(other_cert))
    for path, private in ((pki.key, key), (pki.other_name_key, other_key)):
        path.write_bytes(
            private.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.TraditionalOpenSSL,
                serialization.NoEncryption(),
            )
        )
        path.chmod(0o600)
    return pki
