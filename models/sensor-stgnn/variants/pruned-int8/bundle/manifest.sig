{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "/vsD5Z8hUBSI6o6DCfC7GaBd\u002BjNxAr/EPFW0CCl0jLsHu21dlhSDqf8f5nljQ3esSMK\u002BtMRnODis0xVdciJhMg=="
}