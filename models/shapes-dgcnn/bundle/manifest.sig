{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "BxLwzI/yEUd\u002B8\u002BbLL7SQpOioA6sbmRAEa3P/o5VP3zZx0eZ5wZ8iuTNbqIzdmnrA5vLtwSzuggTvVOuiX88Mjw=="
}