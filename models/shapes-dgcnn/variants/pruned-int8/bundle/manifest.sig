{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "rbE23yDJHXLq7lY9Aj9rWPjkhm9WrJF\u002BqgnGzxj6tEmJTl3ygw5qLD6LIjOEfw6Lon34NW1p1/heCNsk2J4a1Q=="
}