{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "xMVwoUEvyv9nu16nxfjlzX/8YCK6iZ/4\u002BaPm11HtqrnawhkFkfTpiEcWW/z3PzSDhYYHA54CyFOTEYhxHQdKPQ=="
}