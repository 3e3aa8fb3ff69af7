{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "ApCppVbhNtQyQyt/gnP13Rr1m\u002B6OW1AUA2JHZVrlWww6Baa60F4hqOj99k6nD5GOaDsMh9Yb5SUpbIP9/cCHzQ=="
}