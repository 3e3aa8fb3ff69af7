{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "61J19huQ6UFuYLHxxfHGUA/TWnMkWN2ehQwDH\u002BYPTqF9FfKAHo7SXmz2/Osq530dvYSLlHvxRI\u002BZ\u002B/duTFdBew=="
}