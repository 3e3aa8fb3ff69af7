{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "hoZqzeZaPzplI9bgM1kHF7fXYpjZDwKN/cY\u002BuQlP1H5Ma9\u002Bu/lJoT/ioiNacxChFhwQJn0Ykb8i8jC2DpJGenA=="
}