{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "kCRZvI0NPRbf6E8047wG701lWqIgBSMgiwDgwVT8pHkhU63o82X6v1LtX6X2J33DxrlRaBYI8WTlcGyBQAql3Q=="
}