{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "4by5bA0aujAjZDoG72COr1pt7eRcTD6Nw6bG3jD72\u002BtcaFp1XyNmfmFBLqPyf9MHQVX8\u002BxlSyaqzI/BgqnYeUw=="
}