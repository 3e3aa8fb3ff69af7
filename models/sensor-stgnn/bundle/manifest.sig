{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "xta0fHmGjFEOgeTxGdWTWra4ilR\u002B9i9t5cKyFAInU8U8oUFIuElDCq8tRMydjnJSqwk2CF4Apy9NIEYOYzvSag=="
}