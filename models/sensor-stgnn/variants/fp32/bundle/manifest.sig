{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "8eD1CQxwwKUVLk/ZyJKdpWXGdTe/siMzpoLxER7VE3DcI9tFHkEzYrzhqtqydNOAntqribzY3Yzql6fURL3wAQ=="
}