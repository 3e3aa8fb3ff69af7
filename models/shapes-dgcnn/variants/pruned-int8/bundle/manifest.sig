{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "kcxMqPvHd4k\u002Bh1GovqmbeauRjr1uHmlMSSmSjiaNcVJarZIIDDIUi5eg3YsQq/IqO3s56GMxVSFhU0czVlC5Jw=="
}