{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "RnyrbD6qrXmQK05ZTP7dbLa7IyZitab1luzOU/0yvdr3v35ZEEeCc3/pOSWaJ1XnAOfVDIw8eFkuPZUMEKgC2w=="
}