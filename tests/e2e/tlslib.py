"""A throwaway certificate authority for the tests that put HTTPS in
front of a camp (the certbot deploy hook, nginx, Caddy): made with the
openssl command, valid for two days, trusted by nothing but the test.
Keys are ECDSA P-256, which take milliseconds to make where RSA takes
seconds."""
import os
import ssl
import socket
import subprocess


def _openssl(d, *args):
    subprocess.run(["openssl"] + list(args), cwd=d, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_ca(d):
    """Creates d/ca.pem and d/ca.key; returns the CA certificate's path."""
    _openssl(d, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-nodes", "-days", "2",
             "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=camp test CA",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    return os.path.join(d, "ca.pem")


def make_cert(d, name, host, serial):
    """A certificate for host signed by d's CA: d/NAME.pem (the chain, as
    certbot's fullchain.pem) and d/NAME.key.  serial tells two
    certificates for one host apart.  Returns (cert path, key path)."""
    _openssl(d, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-nodes", "-keyout", name + ".key",
             "-out", name + ".csr", "-subj", "/CN=" + host)
    with open(os.path.join(d, name + ".ext"), "w") as f:
        f.write("basicConstraints=CA:FALSE\n"
                "keyUsage=critical,digitalSignature\n"
                "extendedKeyUsage=serverAuth\n"
                "subjectAltName=DNS:%s\n" % host)
    _openssl(d, "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey",
             "ca.key", "-set_serial", str(serial), "-days", "2", "-out",
             name + ".crt", "-extfile", name + ".ext")
    with open(os.path.join(d, name + ".pem"), "w") as out:
        for part in (name + ".crt", "ca.pem"):
            out.write(open(os.path.join(d, part)).read())
    return os.path.join(d, name + ".pem"), os.path.join(d, name + ".key")


def served_serial(port, host, ca):
    """The serial number of the certificate served on 127.0.0.1:port for
    host, checked against ca (so only a valid chain counts)."""
    ctx = ssl.create_default_context(cafile=ca)
    with socket.create_connection(("127.0.0.1", port), 5) as raw:
        with ctx.wrap_socket(raw, server_hostname=host) as s:
            der = s.getpeercert(binary_form=True)
    pem = ssl.DER_cert_to_PEM_cert(der)
    out = subprocess.run(["openssl", "x509", "-noout", "-serial"], input=pem.encode(),
                         stdout=subprocess.PIPE, check=True).stdout.decode()
    return int(out.strip().split("=", 1)[1], 16)
