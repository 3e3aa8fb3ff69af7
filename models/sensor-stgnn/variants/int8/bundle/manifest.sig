{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "TtLufV0kTQqgHNFYydCwY7\u002BHwUScwkEAfmm3Ddq8tMXOzEFsq/LtvVyXB0r\u002BhUNwFwxN2/emGocdZu/4OUqFiQ=="
}