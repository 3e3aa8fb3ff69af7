{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "BQo3ANyOh75fqZDSzQagr7ilS/W0\u002BBaS5JN9\u002BDrDxuWHOhKkW6D8ZtbDQkH3fG\u002BBUzRcBh405txLxtt5c3sByA=="
}