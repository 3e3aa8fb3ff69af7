{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "TTwmCR4BB46BNyQRZVV53r2l/PlA54z1Oyey0781BKON3PPPzlscIvwDfNTwiU2OJlDOuYR69ZtrG79VEq78Dw=="
}