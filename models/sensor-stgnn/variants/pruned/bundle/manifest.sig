{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "vJlG\u002BtanDHl/wwJNRfDfEcSlA8XkNcrmCru2BGu3JJGI0vd\u002BYHidv5YxlcwAHyjvvLWuayZiQvVs70/CiDVasg=="
}