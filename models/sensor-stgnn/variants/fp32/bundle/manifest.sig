{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "Ov/rAVIRXI9iR9kV90Yyt82YTOy/THBad5UAJiYR/LGpJKGFiEeRh5dKHfMwh6FVTyFYqU5aJT1unxxMSGL7qA=="
}