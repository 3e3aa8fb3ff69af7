{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "OZu3mrU1g8LyOgOcL5xc7/vQf3hZo4zD/7LQkiqKT4Cl\u002BDW1Wx4YlOK2ARIopY3f8sUmL44UCiCQr4cHUExMHg=="
}