{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "u5eN//a36fqxCiQA3FSke1nxZk4LbvZcAIVhEAeADn7EnLsvTVcSRU505P4SJ9hNyNH08BTi\u002BVHe9alBKOeuPw=="
}