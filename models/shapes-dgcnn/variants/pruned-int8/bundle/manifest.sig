{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "aqkKHiX36wgmi354ynzgWvghqDF5wgfcIBdfuDNRZ/euXY6iGVsHAH4nOVExAy\u002BBtkxaP7BdmE0KJbxu6DM45Q=="
}