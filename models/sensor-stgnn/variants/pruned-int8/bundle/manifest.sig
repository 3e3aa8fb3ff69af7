{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "/j8WVTTsgSRH9wcbpnlWRmnrxqk8ag0ZW/FyBLYWuhYk2e0vumClnjIHpt3knuaJfW7PPpBRSe4UwfkCXSqZQQ=="
}