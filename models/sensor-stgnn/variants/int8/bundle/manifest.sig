{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "k5J3DAsU/KBt1V7PtWg1hpZwlNSGOXnry6gwMSaigu4lhCSmQc5FMZl\u002BUwDrNpORMirGlelVksA0aY/icKAq2w=="
}