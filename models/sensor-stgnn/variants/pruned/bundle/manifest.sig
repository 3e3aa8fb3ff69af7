{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "xaJcm0\u002BekwEH0Vbh5U2SBiAMF\u002Bn3sxWqgGeuANEY3f3jzHTEmX/nXTBrDdDJOtUWCr4o1GPbm0T5hYHYC\u002BuR2w=="
}