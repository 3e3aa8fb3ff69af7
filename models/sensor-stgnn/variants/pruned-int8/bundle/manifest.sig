{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "ePKvL4uNJV6QIqNnGprNmICYfMP2E9Cv3dk\u002BtPIFgLRzfxzKZES/wNOL1cBtjjYQFCWiqDIEyWJCjpSVfaqWTg=="
}