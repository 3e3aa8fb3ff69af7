{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "LT6c0RYEeu6ZIq9g5R2z1jgjmpAf4eDi9ClXZOF7rjiH\u002B29bui5mE6yGsC0JDIYyUEsOHy9AtLEc414N\u002Bp3OXw=="
}