/* The certificate every flavour serves in `polytls compare` unless -cert is
 * given: one RSA-2048 key and a self-signed certificate for localhost
 * (SAN localhost, 127.0.0.1; valid 2026-12-05 to 2048-10-30), made for
 * polytls with `openssl req -x509 -newkey rsa:2048 -nodes -days 8000`. A
 * fixed certificate, so that the certificate rows compare across flavours
 * (each backend's ephemeral certificate differs). The key is public: a test
 * key for a local comparison, never for anything real. */
#include "compare_cert.h"

const char cmp_cert_pem[] = "-----BEGIN CERTIFICATE-----\n"
                            "MIIDWTCCAkGgAwIBAgIUATpjQexlL6FeZIYEx7jz5IMEMsIwDQYJKoZIhvcNAQEL\n"
                            "BQAwLjESMBAGA1UEAwwJbG9jYWxob3N0MRgwFgYDVQQKDA9wb2x5dGxzIGNvbXBh\n"
                            "cmUwHhcNMjYxMjA1MjEwNjA4WhcNNDgxMDMwMjEwNjA4WjAuMRIwEAYDVQQDDAls\n"
                            "b2NhbGhvc3QxGDAWBgNVBAoMD3BvbHl0bHMgY29tcGFyZTCCASIwDQYJKoZIhvcN\n"
                            "AQEBBQADggEPADCCAQoCggEBAJMynm6i5/HS7gQwa1KzKJrm+Qe3D/xNs1JgPRYs\n"
                            "9RSKkNJPBucRxiHVh2y38aDw2zCLvG3+YcmT+dbrgcYYz0W7MdjQYfN3bbIhWdgV\n"
                            "WJAIApPQ1t1U/GtKmjWpcyTAkitk2Kny2R1C6mshmd0SjqQDcui+aQtbWo9KGnUf\n"
                            "sgXL66pzNSCKADebMaTtrmi3wEaOhDGNnxzV7wpG4KSTDUIc+r2SYq2OR+lvh9GY\n"
                            "I+7D+I/JZRcAKdGOzVuo8+a60vg7Dq2rEHWJN8RgpACGKH5a6xc6As2+ZRsyZgl5\n"
                            "tQSVzYqLIkP31Daay/WmeU/yiP0GGsJ4MOwAOMiyR7YemK0CAwEAAaNvMG0wHQYD\n"
                            "VR0OBBYEFE2yoBMGBbDRbh/xG8WAEt1BFzK5MB8GA1UdIwQYMBaAFE2yoBMGBbDR\n"
                            "bh/xG8WAEt1BFzK5MA8GA1UdEwEB/wQFMAMBAf8wGgYDVR0RBBMwEYIJbG9jYWxo\n"
                            "b3N0hwR/AAABMA0GCSqGSIb3DQEBCwUAA4IBAQAipccwriRvI5ZMy61uuUCRuvWK\n"
                            "OCAh88snBgWgdG6nWw8e3Kj4QOBLJIkTOnWB7Ykizve0rT1Z5R+cjE8ng4NPUs+o\n"
                            "Qz/7S2pvTsvHWKQYJ/7zUhgpwP0eV3HRL8jPt6PuDpuFlYuCvRmQbRo7PQeQSyYG\n"
                            "10ajqaZUKAZghSNhtJ0+uEXAwjWZ9TeRqxIRdTODkmPBOXDUwo6GOjengHi2hlpW\n"
                            "+15KHS/jod0Hx+MDOrlU+6U6RVa41e7uDh2iQXYPGiYuJHjeGajokTxDEt10kNMn\n"
                            "EPdIV5mWjBlkSWBsfjG7s9vpjUb+UadU3Ywk4riyVCaglSSF3jodvm4xvhp/\n"
                            "-----END CERTIFICATE-----\n";

const char cmp_key_pem[] = "-----BEGIN PRIVATE KEY-----\n"
                           "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCTMp5uoufx0u4E\n"
                           "MGtSsyia5vkHtw/8TbNSYD0WLPUUipDSTwbnEcYh1Ydst/Gg8Nswi7xt/mHJk/nW\n"
                           "64HGGM9FuzHY0GHzd22yIVnYFViQCAKT0NbdVPxrSpo1qXMkwJIrZNip8tkdQupr\n"
                           "IZndEo6kA3LovmkLW1qPShp1H7IFy+uqczUgigA3mzGk7a5ot8BGjoQxjZ8c1e8K\n"
                           "RuCkkw1CHPq9kmKtjkfpb4fRmCPuw/iPyWUXACnRjs1bqPPmutL4Ow6tqxB1iTfE\n"
                           "YKQAhih+WusXOgLNvmUbMmYJebUElc2KiyJD99Q2msv1pnlP8oj9BhrCeDDsADjI\n"
                           "ske2HpitAgMBAAECggEAAlMbU235McV+Aszs9PplWsTpC+klNHvZqCRi8pW1LSTf\n"
                           "EqMy3bVXJrOjluD0zPDg1UxvpmENFEzk9jLz8rfzlgtVxzHLSjgJoHWMYLA9nNCz\n"
                           "kbgLnKU580vTUaOicOMlq8/E6DIwoZir8RMvxeEEJaz0RJ61M/u2W2r1LgJZImRG\n"
                           "6z20CH8ciSnqh9mQl+TEStNRvF7XYZ9yogHtefvBxR8uQd2YyrYawN57HXlu8qUc\n"
                           "U/E12420HbklXgI97+C/oesjDQ35g2AgZEaLFxoEUm8xjXx9irwu5BY8lMnVuNt3\n"
                           "J4iT330W4VIKDYrE/svoAE6UQAS6JtbGvWHJvsafVQKBgQDHsPKEi2pCU5GWFH2Q\n"
                           "5+aSueBoMPww+Tyi4wdfYw4Z1RcEE2tc1bZFCZhQb/MM07HlW9fJIJJ0QfiRvith\n"
                           "ldPEvEc8DEO26FSI1dGCwZcKUngmue5SPYFSRNh6TET1Qa1xZEe5pksSn1IPbbgh\n"
                           "+hFA3Rc9ogFc5x59Oc7+lqRLywKBgQC8tFcRfdaFLmBA2OLF1JPKd0HhtL0GI+Nv\n"
                           "58olBNzRkeO8hxDYwB/fgsgh36d1kkaEuGLxG2QlActjpYCNljyCkVfBw4fb0JJ7\n"
                           "4Tf5gu1IG65VYvlRR9XG1hKFVTgV6bGxuvuUIcPqTRnlcjVxafBrcSpV7gMHkt/b\n"
                           "rHA9W70OZwKBgQDFjJW+7jUGvKmwMUEvU1tVGDGaoas7v7Vu5u3qPZI7mAUW8Scr\n"
                           "Rfj1P1LBcJ6ft+WrozpMLL716DXB6MH93j0Lyb8m9nMexaSrYevMUTvc6E0Y8qOE\n"
                           "FHiVLKqEAmPNxVWSccRLMund2GNUBBU+96aN5qsRO+3hPHt7Iu9WCS0sFQKBgQC5\n"
                           "wYioBkiip4lGrHlnJqApQQYQabtdDPz5DqHVmRjKD6Ov1QFHbLCzc+kQNzqAKPLT\n"
                           "+TIkh8MoDsEpISUPu2FrYimR6qmVP5bC7WwNaM2tGtqc4SXt1hnhdp+ass3X/EjY\n"
                           "XOkD480YmrcwPyHOt+tbyHVVS0ueK/3DH9cI/4J2ZwKBgH7eyq+2CPxvBRecBfNK\n"
                           "KllPJ/AVRVIf+wew+TqFl6SVFyJ/ydYFLjqGsCoSNZEOiReMBxRgrlr+H/KnuSeG\n"
                           "z4nka+Rbh/fiKvgTVXo2Bjf7Zq+rP7lGH9e1hgIaiAXyhmL2CUtVlavtrddd+kGl\n"
                           "QnxHpSg1dHjuWTYl8kysJQDV\n"
                           "-----END PRIVATE KEY-----\n";
