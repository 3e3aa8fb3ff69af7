{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "sL0qsCOZ3sNdhECjUCGcIdBI0VnvnvdaG78J3ADggFhqMlfYTOhcUdulHCvr0z3E5GC8J3OgYyKCWvN7YCT3VA=="
}