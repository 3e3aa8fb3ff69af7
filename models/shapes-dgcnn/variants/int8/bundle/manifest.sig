{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "Ewd/1xCo5IyqrZZ2RgzN9udkJlMu2wf0wDxls7p0we90g3WIkuKG7nf1\u002B/7qyNEqy6Z/0w1wcx55w\u002BuLCHmE/g=="
}