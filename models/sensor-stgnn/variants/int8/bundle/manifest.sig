{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "YFMTgTSWtK9GKt27Zbuj4ggUBn1pOuUQ7QAEzNRKsDnD1Gp72F9T/anHzHNUVu1rxx3WO0v7WPH7VxObD7\u002BCRw=="
}