"""Key pairs' cryptography: fingerprints as Nova computes them, and the keys
Nova generates when a client sends no public key.

- ssh: the MD5 of the decoded key blob (the base64 field of an OpenSSH
  public key line), colon-separated hex;
- x509: the SHA-1 of the certificate's DER, colon-separated hex.
"""

import base64
import binascii
import datetime
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.x509 import oid

from nova_core import exception

_RSA_BITS = 2048
_CERT_DAYS = 3650


def _colon_hex(digest):
    text = binascii.hexlify(digest).decode('ascii')
    return ':'.join(text[i:i + 2] for i in range(0, len(text), 2))


def ssh_fingerprint(public_key):
    """The fingerprint of an OpenSSH public key line; InvalidKeypair if it
    is not one."""
    try:
        serialization.load_ssh_public_key(public_key.encode('utf-8'))
        blob = base64.b64decode(public_key.split()[1])
    except (ValueError, TypeError, IndexError, UnicodeEncodeError,
            binascii.Error, NotImplementedError):
        raise exception.InvalidKeypair(
            reason='failed to generate fingerprint') from None
    return _colon_hex(hashlib.md5(blob, usedforsecurity=False).digest())


def x509_fingerprint(pem):
    """The fingerprint of a PEM certificate; InvalidKeypair if it is not
    one."""
    try:
        cert = x509.load_pem_x509_certificate(pem.encode('utf-8'))
    except (ValueError, TypeError, UnicodeEncodeError) as exc:
        raise exception.InvalidKeypair(
            reason='failed to generate X509 fingerprint. Error message: %s'
            % exc) from None
    return _colon_hex(cert.fingerprint(hashes.SHA1()))


def fingerprint(public_key, key_type):
    if key_type == 'x509':
        return x509_fingerprint(public_key)
    return ssh_fingerprint(public_key)


def _private_pem(key):
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption()).decode('ascii')


def generate_ssh(comment='Generated-by-Nova'):
    """``(private key PEM, OpenSSH public key line, fingerprint)``."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=_RSA_BITS)
    public = key.public_key().public_bytes(
        serialization.Encoding.OpenSSH,
        serialization.PublicFormat.OpenSSH).decode('ascii')
    public = '%s %s' % (public, comment)
    return _private_pem(key), public, ssh_fingerprint(public)


def generate_x509(user_id):
    """``(private key PEM, self-signed certificate PEM, fingerprint)``; the
    certificate names *user_id*, as the WinRM certificates Nova makes."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=_RSA_BITS)
    name = x509.Name([x509.NameAttribute(oid.NameOID.COMMON_NAME, user_id)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = x509.CertificateBuilder().subject_name(name).issuer_name(
        name).public_key(key.public_key()).serial_number(
            x509.random_serial_number()).not_valid_before(now).not_valid_after(
                now + datetime.timedelta(days=_CERT_DAYS)).add_extension(
                    x509.SubjectAlternativeName([x509.OtherName(
                        oid.ObjectIdentifier('1.3.6.1.4.1.311.20.2.3'),
                        _der_utf8('%s@localhost' % user_id))]),
                    critical=False).sign(key, hashes.SHA256())
    pem = cert.public_bytes(serialization.Encoding.PEM).decode('ascii')
    return _private_pem(key), pem, x509_fingerprint(pem)


def _der_utf8(text):
    """A DER UTF8String (the value of the UPN other-name)."""
    data = text.encode('utf-8')
    if len(data) < 0x80:
        return bytes([0x0c, len(data)]) + data
    length = len(data).to_bytes((len(data).bit_length() + 7) // 8, 'big')
    return bytes([0x0c, 0x80 | len(length)]) + length + data
